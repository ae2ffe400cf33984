// Values in list-valued members of JSON settings files (.cursor/cli.json, .gemini/settings.json), owned
// value by value: the user's bytes outside dp's values stay, add then remove gives the file back, values
// the user had are never claimed, values the user removed are never added back, no-op re-runs write nothing.
import { describe, expect, it } from 'vitest';
import type { PlannedList } from '../../shared/assistants/adapter.js';
import type { AssistantPlan } from '../../shared/assistants/plan.js';
import { jsonLists } from '../../shared/merge/outputs/json-lists.js';
import type { Run } from '../../shared/merge/outputs/run.js';
import { emptyRecord, parseRecord, serializeRecord, type PersonaRecord } from '../../shared/merge/record.js';

const FILE = '.cursor/cli.json';

class Repo {
  files = new Map<string, string>();
  record: PersonaRecord = emptyRecord('1.0.0');
  read = (path: string) => this.files.get(path) ?? null;
  apply(lists: PlannedList[]) {
    const assistants: AssistantPlan = { targets: ['cursor'], sections: [], files: [], lists, cannotExpress: [], limits: [] };
    const run: Run = { previous: this.record, record: emptyRecord('1.0.0'), options: { version: '1.0.0', onConflict: 'keep' }, label: 'dp', changes: [], outcomes: [], bases: new Map(), newBases: new Map(), assistants };
    const notes = jsonLists(this.read, [], run)();
    for (const change of run.changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
    // Through the record's text, as the next run reads it.
    this.record = parseRecord(serializeRecord(run.record), '1.0.0')!;
    return { changes: run.changes, notes, outcomes: run.outcomes };
  }
}

const allow = (persona: string, ...values: string[]): PlannedList => ({ persona, path: FILE, key: ['permissions', 'allow'], values });

describe('JSON list entries', () => {
  it('a file dp creates holds its values, and goes when the last persona goes', () => {
    const repo = new Repo();
    repo.apply([allow('pm', 'Shell(git)', 'Read(src/**)')]);
    expect(repo.read(FILE)).toBe('{\n  "permissions": {\n    "allow": [\n      "Shell(git)",\n      "Read(src/**)"\n    ]\n  }\n}\n');
    expect(repo.apply([allow('pm', 'Shell(git)', 'Read(src/**)')]).changes).toEqual([]);
    repo.apply([]);
    expect(repo.files.size).toBe(0);
    expect(repo.record.managed.lists).toBeUndefined();
  });

  it("the user's file comes back byte for byte; their own values are never claimed nor taken", () => {
    const user = '{\r\n\t"permissions": { "allow": ["Shell(git)"], "deny": [] },\r\n\t"other": 1.50\r\n}';
    const repo = new Repo();
    repo.files.set(FILE, user);
    repo.apply([allow('pm', 'Shell(git)', 'Shell(ls)')]);
    expect(repo.read(FILE)).toBe('{\r\n\t"permissions": { "allow": ["Shell(git)", "Shell(ls)"], "deny": [] },\r\n\t"other": 1.50\r\n}');
    expect(repo.record.managed.lists![FILE]!.entries.map((e) => e.value)).toEqual(['Shell(ls)']);
    repo.apply([]);
    expect(repo.read(FILE)).toBe(user);
  });

  it('a value the user removed is not added back, and two personas share one value', () => {
    const repo = new Repo();
    repo.files.set(FILE, '{}\n');
    repo.apply([allow('pm', 'Shell(git)'), allow('dev', 'Shell(git)', 'Shell(npm)')]);
    expect(JSON.parse(repo.read(FILE)!)).toEqual({ permissions: { allow: ['Shell(git)', 'Shell(npm)'] } });
    repo.files.set(FILE, '{ "permissions": { "allow": ["Shell(git)"] } }\n');
    expect(repo.apply([allow('pm', 'Shell(git)'), allow('dev', 'Shell(git)', 'Shell(npm)')]).changes).toEqual([]);
    expect(repo.record.managed.lists![FILE]!.declined).toEqual([{ key: ['permissions', 'allow'], value: 'Shell(npm)' }]);
    repo.apply([allow('dev', 'Shell(git)', 'Shell(npm)')]);
    expect(repo.read(FILE)).toBe('{ "permissions": { "allow": ["Shell(git)"] } }\n');
    // The containers dp created go with its last value: the file is the user's '{}' again.
    repo.apply([]);
    expect(repo.read(FILE)).toBe('{}\n');
  });

  it('a member that is not a list is left alone, said in a note', () => {
    const repo = new Repo();
    repo.files.set(FILE, '{ "permissions": { "allow": "Shell(git)" } }\n');
    const { changes, notes } = repo.apply([allow('pm', 'Shell(ls)')]);
    expect(changes).toEqual([]);
    expect(notes).toEqual(['.cursor/cli.json: permissions.allow is not a list, so dp left it as it is and did not add "Shell(ls)"']);
  });

  it('a file that is not strict JSON is refused in one line before any change', () => {
    const repo = new Repo();
    repo.files.set(FILE, '{\n  // mine\n  "a": 1\n}\n');
    expect(() => repo.apply([allow('pm', 'Shell(ls)')])).toThrow('.cursor/cli.json line 2: not strict JSON');
  });
});
