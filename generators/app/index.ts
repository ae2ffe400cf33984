// yo dp — the menu, numbered as users know it. Every answer can come as an option, so scripts and
// composing generators run it without a terminal: --persona <id> (or its menu number, or an alias;
// several comma-separated), --level for a persona with skill levels.
import { fileURLToPath } from 'node:url';
import { DpError } from '../../shared/errors.js';
import { menuChoices, menuKey } from '../../shared/persona/menu.js';
import { builtinMenu, type MenuEntry } from '../../shared/persona/registry.js';
import { CUSTOM_DIR, customPersonaIds, loadPersona } from '../../shared/persona/resolve.js';
import { examplePersonas, levelledPersonas } from '../../shared/persona/wording.js';
import { DpGenerator } from '../../shared/yeoman/dp-generator.js';
import { canPrompt } from '../../shared/yeoman/io.js';
import { recordedTargets } from '../../shared/assistants/plan.js';
import { detectedAssistants } from '../../shared/assistants/detect.js';
import { ADAPTERS, withRequired } from '../../shared/assistants/registry.js';

const SEVERAL = 'several';
const CUSTOM = 'custom';

export default class AppGenerator extends DpGenerator {
  private chosen: string[] = [];
  private custom: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    const [first, second] = examplePersonas(builtinMenu(), 2) as [MenuEntry, MenuEntry];
    const levelled = levelledPersonas(builtinMenu());
    this.option('persona', { type: String, description: `persona(s) to apply: id, alias or menu number, comma-separated (e.g. ${first.id} or ${first.number} or ${first.aliases[0] ?? first.id},${second.id})` });
    this.option('level', { type: String, description: `skill level for the ${levelled.name} persona: ${levelled.levels.join(', ')}` });
    this.option('custom', { type: String, description: `your own persona(s), comma-separated ids from ${CUSTOM_DIR}/<id>.json` });
  }

  /** The assistants to write for: asked on a terminal (those whose files are here, and those chosen before, pre-selected). */
  private assistants: string | undefined;

  async prompting(): Promise<void> {
    await this.guard(async () => {
      const given = this.dpOptions.persona as string | undefined;
      const custom = this.dpOptions.custom as string | undefined;
      if (custom !== undefined) this.custom = this.checkCustom(custom.split(',').map((id) => id.trim()).filter(Boolean));
      if (given === undefined && custom !== undefined) return;
      if (given !== undefined) {
        this.chosen = given.split(',').map((name) => name.trim()).filter(Boolean).map((name) => loadPersona(name, this.destinationRoot()).id);
        if (this.chosen.length === 0) throw new DpError('--persona is empty', `name at least one persona, e.g. --persona ${this.example()}`, 2);
        return;
      }
      const choices = menuChoices();
      const choice = await this.ask<string>('persona', undefined, {
        type: 'select',
        message: 'Which persona should the assistant take on in this repository?',
        choices: [
          ...choices.map(({ id, name }) => ({ value: id, name })),
          { value: SEVERAL, name: `${menuKey(choices.length + 1)} Several at once` },
          { value: CUSTOM, name: `${menuKey(choices.length + 2)} Custom (your own, from profiles/personas/<id>.json)` },
        ],
      }, `pass --persona <id>[,<id>...], e.g. --persona ${this.example()}`);
      if (choice === SEVERAL) {
        this.chosen = await this.ask<string[]>('personas', undefined, {
          type: 'checkbox',
          message: 'Which personas?',
          choices: choices.map(({ id, displayName }) => ({ value: id, name: displayName })),
          validate: (picked: string[]) => picked.length > 0 || 'pick at least one',
        }, 'pass --persona <id>,<id>');
      } else if (choice === CUSTOM) {
        const found = customPersonaIds(this.destinationRoot());
        if (found.length === 0) {
          throw new DpError(`no personas of your own in ${CUSTOM_DIR}/`, `define one as ${CUSTOM_DIR}/<id>.json: {"persona": "<id>", "display_name": "...", "permissions": {"allow": [], "block": []}, "environment": {}}`, 2);
        }
        this.custom = [await this.ask<string>('custom', undefined, { type: 'select', message: 'Which of your personas?', choices: found }, '--custom <id>')];
      } else {
        this.chosen = [choice];
      }
      await this.askAssistants();
    });
  }

  private async askAssistants(): Promise<void> {
    if (this.dpOptions.assistants !== undefined || !canPrompt(this)) return;
    const root = this.destinationRoot();
    const selected = new Set([...recordedTargets(this.currentRecord()), ...detectedAssistants(root)]);
    const picked = await this.ask<string[]>('assistants', undefined, {
      type: 'checkbox',
      message: 'Which AI assistants should the personas reach? (those whose files are here are selected)',
      choices: ADAPTERS.map((a) => ({ value: a.id, name: a.displayName, checked: selected.has(a.id) })),
      validate: (ids: string[]) => ids.length > 0 || 'pick at least one',
    }, '--assistants <ids>');
    this.assistants = withRequired(picked?.length ? picked : [...selected]).join(',');
  }

  async configuring(): Promise<void> {
    for (const id of this.chosen) {
      await this.composeWith(this.sibling(id), { generatorOptions: this.forwardedOptions() } as never);
    }
    for (const id of this.custom) {
      await this.composeWith(this.sibling('persona'), { generatorArgs: [id], generatorOptions: this.forwardedOptions() } as never);
    }
  }

  private example(): string {
    return examplePersonas(builtinMenu(), 1)[0]!.id;
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
    const assistants = this.dpOptions.assistants ?? this.assistants;
    return Object.fromEntries(Object.entries({ level, onConflict, restoreDeleted, assistants }).filter(([, value]) => value !== undefined));
  }
}
