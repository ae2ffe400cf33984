// A generator that applies one persona (yo dp:<persona>): the persona joins the active ones (or is
// re-applied with new answers), and every active persona is merged with this version's templates.
// A built-in persona's generator names its id; `yo dp:persona <id>` and `yo dp:switch <id>` take it as an
// argument (static `takesName`), and switch makes it the only active one (static `exclusive`).
import { DpError } from '../errors.js';
import { builtinMenu } from '../persona/registry.js';
import { customPersonaWarnings } from '../persona/custom-warnings.js';
import { CUSTOM_DIR, customPersonaIds, loadPersona } from '../persona/resolve.js';
import { levelledPersonas } from '../persona/wording.js';
import { knownLevel } from '../engine/answers.js';
import { withPersona } from '../engine/plan-active.js';
import { memFsReader } from './io.js';
import { levelQuestion, resolveLevel } from '../persona/levels.js';
import { DpGenerator, type PersonaRequest } from './dp-generator.js';

export abstract class PersonaGenerator extends DpGenerator {
  /** The persona comes as the `name` argument (yo dp:persona <id>, yo dp:switch <id>). */
  static readonly takesName: boolean = false;
  /** The persona becomes the only active one (switch); otherwise it joins the others. */
  static readonly exclusive: boolean = false;
  /** A built-in persona's id, for generators that do not take a name. */
  protected readonly personaId?: string;
  private request!: PersonaRequest;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    // Statics, because the subclass's fields are not set yet while this constructor runs.
    if (this.kind.takesName) this.argument('name', { type: String, required: false, description: `the persona's id: profiles/personas/<id>.json` });
    const levelled = levelledPersonas(builtinMenu()).entries.map((entry) => `${entry.id}: ${entry.levels.join(', ')}`);
    this.option('level', { type: String, description: `skill level, for personas that have levels (${levelled.join('; ')})` });
    this.option('status-line', { type: Boolean, description: "also show the persona's status line in Claude Code, for personas that have one (yours is never replaced); --no-status-line turns it off (only dp's is removed)" });
  }

  private get kind(): typeof PersonaGenerator {
    return this.constructor as typeof PersonaGenerator;
  }

  private get requestedId(): string {
    if (this.personaId) return this.personaId;
    const name = this.dpOptions.name as string | undefined;
    if (name) return name;
    const found = customPersonaIds(this.destinationRoot());
    const generator = (this.dpOptions.namespace as string | undefined) ?? 'dp:persona';
    throw new DpError(
      `name the persona: yo ${generator} <id>`,
      found.length > 0 ? `personas defined in ${CUSTOM_DIR}/: ${found.join(', ')}` : `define one in ${CUSTOM_DIR}/<id>.json first`,
      2,
    );
  }

  async initializing(): Promise<void> {
    await this.guard(() => {
      const persona = loadPersona(this.requestedId, this.destinationRoot());
      this.request = { id: persona.id, persona };
      const record = this.currentRecord(); // refuse a corrupt or newer record before asking anything
      // Opted in now, or before (the record keeps it): a re-run keeps the status line; --no-status-line
      // (the option false) opts out.
      const optIn = this.dpOptions['status-line'];
      if (persona.statusLine && optIn !== false && (optIn === true || record?.active.some((a) => a.id === persona.id && a.statusLine))) this.request.statusLine = true;
      if (persona.origin.kind === 'custom') {
        for (const warning of customPersonaWarnings(this.destinationRoot(), persona)) this.log(`dp: warning: ${warning}`);
      }
    });
  }

  async prompting(): Promise<void> {
    await this.guard(async () => {
      const persona = this.request.persona!;
      if (!persona.levels) return;
      const known = knownLevel(memFsReader(this), this.currentRecord(), persona, this.dpOptions.level as string | undefined);
      const question = levelQuestion(persona);
      const answer = await this.ask<string>(
        'level',
        known,
        { type: 'select', message: question.message, choices: question.choices.map(({ value, label }) => ({ value, name: label })) },
        `pass ${question.flag}`,
      );
      // Checked (and lower-cased) now, so .yo-rc.json and the record store the same level.
      this.request.level = resolveLevel(persona, answer);
    });
  }

  async writing(): Promise<void> {
    await this.guard(() => {
      this.applyActive((active) => withPersona(this.kind.exclusive ? [] : active, this.request));
    });
  }

  end(): void {
    this.report(this.request.id);
  }
}
