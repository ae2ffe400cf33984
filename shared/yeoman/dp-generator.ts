// The base of every dp generator: options shared by all, and one operation, "make these personas the
// active ones", that runs the merge against mem-fs and queues the writes. Errors are DpErrors, thrown
// before anything is queued, so a refused run writes nothing. dp's commit (commit.ts) then writes
// atomically with the record last, under the repository's lock.
import { basename } from 'node:path';
import Generator from 'yeoman-generator';
import { DpError, formatError } from '../errors.js';
import { activeRequests, type PersonaRequest } from '../engine/plan-active.js';
import { planRun, planSettled, type AssistantSelection } from '../engine/plan-run.js';
import { assistantIds, parseAssistants } from '../assistants/registry.js';
import type { Selection } from '../engine/apply-on-disk.js';
import type { ConflictPolicy, Outcome } from '../merge/model.js';
import { holdLock, releaseLock } from '../commit/lock.js';
import { preflight } from '../commit/preflight.js';
import { RECORD_PATH, parseRecord, type PersonaRecord } from '../merge/record.js';
import { generatorVersion } from '../package-root.js';
import { dpCommitTask } from './commit.js';
import { canPrompt, memFsReader, onTerminal, queueChanges, runSnapshot } from './io.js';
import { deletedPaths, formatOutcomes, ownFiles, summarize, type Deleted } from '../engine/report.js';

export type { PersonaRequest };

const POLICIES: ConflictPolicy[] = ['ask', 'keep', 'markers'];

export interface DpOptions {
  onConflict?: string;
  restoreDeleted?: boolean;
  [key: string]: unknown;
}

type FeatureStore = { findFeature?(name: string): unknown[] };

export abstract class DpGenerator extends Generator {
  protected outcomes: Outcome[] = [];
  protected notes: string[] = [];
  /** The paths this run deletes (a section taken out of a CLAUDE.md that stays reads "updated"). */
  protected deleted: Deleted = new Set();

  constructor(args: string[], options: Record<string, unknown>) {
    const self: { generator?: DpGenerator } = {};
    // The first dp generator of a run provides the commit (a composing generator's own commit wins).
    const store = (options.env as { composedStore?: FeatureStore } | undefined)?.composedStore;
    const provideCommit = !(store?.findFeature?.('customCommitTask')?.length);
    super(args, options as never, {
      // inheritTasks: the lifecycle methods live on shared base classes, not on each thin persona generator.
      inheritTasks: true,
      ...(provideCommit ? { customCommitTask: () => self.generator!.commit() } : {}),
    });
    self.generator = this;
    // After dp's own one-line message and hint, Yeoman's "An error occured while running <task>" adds nothing.
    const log = this.log as unknown as Record<string, unknown> & ((...args: unknown[]) => unknown);
    (this as unknown as { log: unknown }).log = new Proxy(log, {
      get: (target, key) => {
        const value = Reflect.get(target, key);
        if (key !== 'error' || typeof value !== 'function') return value;
        return (message: unknown, ...rest: unknown[]) => {
          if (this.errorReported && typeof message === 'string' && message.startsWith('An error occured while running ')) return target;
          return (value as (...args: unknown[]) => unknown).call(target, message, ...rest);
        };
      },
    });
    this.option('on-conflict', {
      type: String,
      description:
        'when your edits and a new version change the same lines: ask (default on a terminal), keep (yours stays, the new version goes beside it as <file>.dp-new; the default otherwise) or markers (git-style conflict markers)',
    });
    this.option('restore-deleted', { type: Boolean, description: 'recreate files and sections dp wrote that you deleted' });
    this.option('assistants', { type: String, description: `the assistants to write for: ${assistantIds().join(',')} or all (default: those chosen before, else claude); kept for later runs` });
  }

  /** Set once dp printed its own message for a failure of this run. */
  private errorReported = false;

  /**
   * Yeoman's appname reads package.json through mem-fs, which leaves an entry there and makes the environment
   * print "No change to package.json was detected" after every run. dp does not use the appname.
   */
  override determineAppname(): string {
    return basename(this.destinationRoot());
  }

  protected get dpOptions(): DpOptions {
    return this.options as unknown as DpOptions;
  }

  protected conflictPolicy(): ConflictPolicy {
    const wanted = this.dpOptions.onConflict;
    if (wanted === undefined) return onTerminal(this) ? 'ask' : 'keep';
    if (!POLICIES.includes(wanted as ConflictPolicy)) {
      throw new DpError(`--on-conflict must be one of ${POLICIES.join(', ')}, got "${wanted}"`, undefined, 2);
    }
    return wanted as ConflictPolicy;
  }

  /** The record of what dp did in this repository, as this run sees it (pending writes included). */
  protected currentRecord(): PersonaRecord | null {
    return parseRecord(memFsReader(this)(RECORD_PATH), generatorVersion());
  }

  /**
   * Make the personas `select` picks active (in its order), merging everything against what is there.
   * The active personas it picks from are read once the repository's lock is held.
   */
  protected applyActive(select: Selection, { restoreDeleted = false } = {}): void {
    const root = this.destinationRoot();
    const snapshot = runSnapshot(this.env);
    // What was read before the lock (questions, checks) may be out of date: the run's base is read under it.
    const took = holdLock(root);
    if (took) snapshot.clear();
    try {
      const result = planSettled(root, snapshot, () =>
        planRun(root, memFsReader(this), select(activeRequests(this.currentRecord())), {
          onConflict: this.conflictPolicy(),
          restoreDeleted: restoreDeleted || this.dpOptions.restoreDeleted === true,
          ...this.assistantSelection(),
        }),
      );
      // Refused now, in this generator's own step, rather than in the commit after Yeoman's prompts.
      preflight(root, result.changes);
      queueChanges(this, result.changes);
      this.outcomes = [...result.outcomes, ...ownFiles(result.outcomes, result.changes, snapshot)];
      this.notes = result.notes;
      this.deleted = deletedPaths(result.changes);
    } catch (error) {
      // A generator composed after the one that took the lock leaves it to that one's commit.
      if (took) releaseLock(root);
      throw error;
    }
  }

  /** --assistants: the list for this run and the next ones; checked before anything is planned. */
  private assistantSelection(): { assistants?: AssistantSelection } {
    const given = this.dpOptions.assistants;
    if (given === undefined) return {};
    const ids = parseAssistants(String(given), `run 'yo dp --help' for the options`);
    return { assistants: () => ids };
  }

  private async commit(): Promise<void> {
    try {
      await dpCommitTask({ ...(this.env as never as object), root: this.destinationRoot(), snapshot: runSnapshot(this.env) } as never)();
    } finally {
      runSnapshot(this.env).clear();
      releaseLock(this.destinationRoot());
    }
  }

  /** Ask a question unless its answer came as an option; without a terminal a missing answer is an error. */
  protected async ask<T>(name: string, optionValue: T | undefined, question: Record<string, unknown>, hint: string): Promise<T> {
    if (optionValue !== undefined) return optionValue;
    if (!canPrompt(this)) {
      throw new DpError(`no answer for "${name}" and no terminal to ask it on`, hint, 2);
    }
    const answers = await this.prompt([{ name, ...question } as never]);
    return (answers as Record<string, T>)[name]!;
  }

  /** Run a step, turning a DpError into `dp: message` + hint on the log before failing the run. */
  protected async guard<T>(step: () => T | Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      // A question closed without an answer (Ctrl-C, the input ended) is a refusal in dp's words too.
      const closed = error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
      const reported = closed ? new DpError('no answer was given (the question was closed); nothing was written', undefined, 1) : error;
      if (reported instanceof DpError) {
        this.log.error(formatError('dp', reported));
        this.errorReported = true;
        process.exitCode = reported.exitCode;
      }
      throw error;
    }
  }

  protected report(title: string): void {
    releaseLock(this.destinationRoot());
    for (const line of formatOutcomes(this.outcomes, this.notes, this.deleted)) this.log(`  ${line}`);
    this.log(`dp: ${title}: ${summarize(this.outcomes, this.deleted)}`);
  }
}
