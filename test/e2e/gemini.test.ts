// Gemini CLI itself, offline and logged out, loads what dp writes for it: AGENTS.md through
// context.fileName (GEMINI.md still loaded), a custom command per workflow, and the tool settings, which
// it reads and warns are deprecated. `/memory show` and `/commands list` print before the model call
// (which fails offline: a dummy key, one attempt, a time limit).
import { describe, expect, it } from 'vitest';
import { GEMINI_SETTINGS, planGemini } from '../../shared/assistants/gemini.js';
import { onePlanPerPersona } from '../assistants/planned-personas.js';
import { type Sandbox, useSandbox, whyNotRunnable } from '../support/assistant-clis.js';

const skip = whyNotRunnable('gemini');
const sandbox = useSandbox();
const personas = onePlanPerPersona();

/** The repository with every persona's Gemini files, trusted by the private user (untrusted folders skip project settings). */
function prepared(): Sandbox {
  const box = sandbox();
  box.write('AGENTS.md', personas.map((p) => `## ${p.displayName}\nMARKER-${p.id}\n`).join('\n'));
  box.write('GEMINI.md', 'USERS-OWN-GEMINI-MD\n');
  const settings: Record<string, Record<string, string[]>> = {};
  for (const persona of personas) {
    const plan = planGemini(persona);
    for (const file of plan.files) box.write(file.path, file.content);
    for (const { key, values } of plan.lists) {
      const list = ((settings[key[0]!] ??= {})[key[1]!] ??= []);
      for (const value of values) if (!list.includes(value)) list.push(value);
    }
  }
  box.write(GEMINI_SETTINGS, `${JSON.stringify(settings, null, 2)}\n`);
  box.write('../home/.gemini/trustedFolders.json', JSON.stringify({ [box.repo]: 'TRUST_FOLDER' }));
  box.write('../home/.gemini/settings.json', JSON.stringify({ general: { maxAttempts: 1, retryFetchErrors: false } }));
  return box;
}

async function slash(box: Sandbox, command: string) {
  return box.run('gemini', ['-p', command], { env: { GEMINI_API_KEY: 'dummy-offline-key' }, timeoutMs: 45_000 });
}

describe.skipIf(skip !== null)(`gemini CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('/memory show: AGENTS.md and the user\'s GEMINI.md are both in its context', async () => {
    const box = prepared();
    const { stdout } = await slash(box, '/memory show');
    expect(stdout).toContain(`Context from: ${box.repo}/AGENTS.md`);
    expect(stdout).toContain(`Context from: ${box.repo}/GEMINI.md`);
    for (const persona of personas) expect(stdout).toContain(`MARKER-${persona.id}`);
    expect(stdout).toContain('USERS-OWN-GEMINI-MD');
  });

  it('/commands list: every workflow is a project command; the tool settings are read (and said to be deprecated)', async () => {
    const box = prepared();
    const { stdout, stderr } = await slash(box, '/commands list');
    expect(stdout).toContain(`### Project Commands (${box.repo}/.gemini/commands)`);
    for (const persona of personas) for (const workflow of persona.workflows) expect(stdout).toContain(`- ${workflow.name}.toml`);
    expect(stderr).toContain('tools.exclude in settings.json is deprecated and will be removed in 1.0');
  });
});
