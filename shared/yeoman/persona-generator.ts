// A generator that applies one persona (yo dp:<persona>): the persona joins the active ones (or is
// re-applied with new answers), and every active persona is merged with this version's templates.
import { customPersonaWarnings, loadPersona } from '../persona/resolve.js';
import { knownLevel } from '../engine/answers.js';
import { withPersona } from '../engine/plan-active.js';
import { memFsReader } from './io.js';
import { resolveLevel } from '../plan/plan.js';
import { DpGenerator, type PersonaRequest } from './dp-generator.js';

export abstract class PersonaGenerator extends DpGenerator {
  protected abstract readonly personaId: string;
  /** When true the persona becomes the only active one (switch); otherwise it joins the others. */
  protected readonly exclusive: boolean = false;
  private request!: PersonaRequest;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.option('level', { type: String, description: 'skill level, for personas that have levels (developer: beginner, l1, l2, expert)' });
  }

  async initializing(): Promise<void> {
    await this.guard(() => {
      const persona = loadPersona(this.personaId, this.destinationRoot());
      this.request = { id: persona.id };
      this.currentRecord(); // refuse a corrupt or newer record before asking anything
      if (persona.origin.kind === 'custom') {
        for (const warning of customPersonaWarnings(this.destinationRoot(), persona)) this.log(`dp: warning: ${warning}`);
      }
    });
  }

  async prompting(): Promise<void> {
    await this.guard(async () => {
      const persona = loadPersona(this.request.id, this.destinationRoot());
      if (!persona.levels) return;
      const known = knownLevel(memFsReader(this), this.currentRecord(), persona, this.dpOptions.level as string | undefined);
      const levels = Object.entries(persona.levels);
      const answer = await this.ask<string>(
        'level',
        known,
        {
          type: 'list',
          message: `${persona.displayName}: skill level?`,
          choices: levels.map(([value, level]) => ({ value, name: `${level.displayName}: ${level.description}` })),
        },
        `pass --level ${levels.map(([value]) => value).join('|')}`,
      );
      // Checked (and lower-cased) now, so .yo-rc.json and the record store the same level.
      this.request.level = resolveLevel(persona, answer);
    });
  }

  async writing(): Promise<void> {
    await this.guard(() => {
      this.applyActive((active) => withPersona(this.exclusive ? [] : active, this.request));
    });
  }

  end(): void {
    this.report(this.request.id);
  }
}
