// yo dp:remove <id> [<id>...] — take a persona back: its CLAUDE.md section, its settings entries (unless
// another active persona or you have them too) and its files (unless you edited them: kept, reported).
import { DpError } from '../../shared/errors.js';
import { canonicalId } from '../../shared/persona/registry.js';
import { DpGenerator } from '../../shared/yeoman/dp-generator.js';

export default class RemoveGenerator extends DpGenerator {
  private removed: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('names', { type: Array, required: false, description: 'the persona(s) to remove' });
  }

  async writing(): Promise<void> {
    await this.guard(() => {
      const names = ((this.dpOptions.names as string[] | undefined) ?? []).map((name) => canonicalId(name) ?? name);
      this.removed = names;
      this.applyActive((active) => {
        const activeIds = active.map((a) => a.id);
        if (names.length === 0) throw new DpError('name the persona to remove: yo dp:remove <id>', `active: ${activeIds.join(', ') || 'none'}`, 2);
        const unknown = names.filter((name) => !activeIds.includes(name));
        if (unknown.length > 0) {
          throw new DpError(`${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not active here`, `active personas: ${activeIds.join(', ') || 'none'}`, 2);
        }
        return active.filter((a) => !names.includes(a.id));
      });
    });
  }

  end(): void {
    this.report(`removed ${this.removed.join(', ')}`);
  }
}
