// yo dp — the menu, numbered as users know it. Every answer can come as an option, so scripts and
// composing generators run it without a terminal: --persona data-scientist (or 3, or ds; several
// comma-separated), --level for the developer persona.
import { fileURLToPath } from 'node:url';
import { DpError } from '../../shared/errors.js';
import { MENU, isAvailable } from '../../shared/persona/registry.js';
import { CUSTOM_DIR, customPersonaIds, loadPersona } from '../../shared/persona/resolve.js';
import { DpGenerator } from '../../shared/yeoman/dp-generator.js';

const SEVERAL = 'several';
const CUSTOM = 'custom';

export default class AppGenerator extends DpGenerator {
  private chosen: string[] = [];
  private custom: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.option('persona', { type: String, description: 'persona(s) to apply: id, alias or menu number, comma-separated (e.g. data-scientist or 3 or ds,pm)' });
    this.option('level', { type: String, description: 'skill level for the developer persona: beginner, l1, l2, expert' });
    this.option('custom', { type: String, description: `your own persona(s), comma-separated ids from ${CUSTOM_DIR}/<id>.json` });
  }

  async prompting(): Promise<void> {
    await this.guard(async () => {
      const given = this.dpOptions.persona as string | undefined;
      const custom = this.dpOptions.custom as string | undefined;
      if (custom !== undefined) this.custom = this.checkCustom(custom.split(',').map((id) => id.trim()).filter(Boolean));
      if (given === undefined && custom !== undefined) return;
      if (given !== undefined) {
        this.chosen = given.split(',').map((name) => name.trim()).filter(Boolean).map((name) => loadPersona(name, this.destinationRoot()).id);
        if (this.chosen.length === 0) throw new DpError('--persona is empty', 'name at least one persona, e.g. --persona data-scientist', 2);
        return;
      }
      const choice = await this.ask<string>('persona', undefined, {
        type: 'list',
        message: 'Which persona should the assistant take on in this repository?',
        choices: [
          ...MENU.map((entry) => ({
            value: entry.id,
            name: `${entry.number}) ${entry.displayName}`,
            ...(isAvailable(entry.id) ? {} : { disabled: 'coming in a later version' }),
          })),
          { value: SEVERAL, name: `${MENU.length + 1}) Several at once` },
          { value: CUSTOM, name: `${MENU.length + 2}) Custom (your own, from profiles/personas/<id>.json)` },
        ],
      }, 'pass --persona <id>[,<id>...], e.g. --persona data-scientist');
      if (choice === SEVERAL) {
        this.chosen = await this.ask<string[]>('personas', undefined, {
          type: 'checkbox',
          message: 'Which personas?',
          choices: MENU.filter((entry) => isAvailable(entry.id)).map((entry) => ({ value: entry.id, name: entry.displayName })),
          validate: (picked: string[]) => picked.length > 0 || 'pick at least one',
        }, 'pass --persona <id>,<id>');
      } else if (choice === CUSTOM) {
        const found = customPersonaIds(this.destinationRoot());
        if (found.length === 0) {
          throw new DpError(`no personas of your own in ${CUSTOM_DIR}/`, `define one as ${CUSTOM_DIR}/<id>.json: {"persona": "<id>", "display_name": "...", "permissions": {"allow": [], "block": []}, "environment": {}}`, 2);
        }
        this.custom = [await this.ask<string>('custom', undefined, { type: 'list', message: 'Which of your personas?', choices: found }, '--custom <id>')];
      } else {
        this.chosen = [choice];
      }
    });
  }

  async configuring(): Promise<void> {
    for (const id of this.chosen) {
      await this.composeWith(this.sibling(id), { generatorOptions: this.forwardedOptions() } as never);
    }
    for (const id of this.custom) {
      await this.composeWith(this.sibling('persona'), { generatorArgs: [id], generatorOptions: this.forwardedOptions() } as never);
    }
  }

  private sibling(name: string): string {
    return fileURLToPath(new URL(`../${name}/index.js`, import.meta.url));
  }

  private checkCustom(ids: string[]): string[] {
    const found = customPersonaIds(this.destinationRoot());
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new DpError(`no ${CUSTOM_DIR}/${missing[0]}.json`, found.length ? `your personas: ${found.join(', ')}` : `define it in ${CUSTOM_DIR}/${missing[0]}.json`, 2);
    return ids;
  }

  private forwardedOptions(): Record<string, unknown> {
    const { level, onConflict, restoreDeleted } = this.dpOptions;
    return Object.fromEntries(Object.entries({ level, onConflict, restoreDeleted }).filter(([, value]) => value !== undefined));
  }
}
