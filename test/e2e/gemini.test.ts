// Gemini CLI itself, offline and logged out, loads what dp writes for it: the personas' AGENTS.md sections
// through the import dp adds to GEMINI.md (the user's own GEMINI.md text still loaded), and a custom
// command per workflow, and its settings file with the deny rules it can hold. `/memory show` and `/commands list` print before the model call (which fails
// offline: a dummy key, one attempt, a time limit).
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../shared/assistants/persona-view.js';
import { applyBuiltins, firstLine, type Sandbox, useSandbox, whyNotRunnable } from '../support/assistant-clis.js';

const skip = whyNotRunnable('gemini');
const sandbox = useSandbox();

/** dp's files for Gemini CLI, in a repository the private user trusts (untrusted folders skip project commands). */
function prepared() {
  const box = sandbox();
  const personas = applyBuiltins(box, ['gemini'], { 'AGENTS.md': '# Team\n\nTEAM-RULES\n', 'GEMINI.md': 'USERS-OWN-GEMINI-MD\n' });
  box.write('../home/.gemini/trustedFolders.json', JSON.stringify({ [box.repo]: 'TRUST_FOLDER' }));
  box.write('../home/.gemini/settings.json', JSON.stringify({ general: { maxAttempts: 1, retryFetchErrors: false } }));
  return { box, personas };
}

async function slash(box: Sandbox, command: string) {
  return box.run('gemini', ['-p', command], { env: { GEMINI_API_KEY: 'dummy-offline-key' }, timeoutMs: 45_000 });
}

describe.skipIf(skip !== null)(`gemini CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("/memory show: GEMINI.md with the user's text and, imported, AGENTS.md with every persona's section", async () => {
    const { box, personas } = prepared();
    const { stdout } = await slash(box, '/memory show');
    expect(stdout).toContain(`Context from: ${box.repo}/GEMINI.md`);
    expect(stdout).toContain('USERS-OWN-GEMINI-MD');
    expect(stdout).toContain('<!-- Imported from: AGENTS.md -->');
    expect(stdout).toContain('TEAM-RULES');
    for (const persona of personas) expect(stdout).toContain(firstLine(persona.section));
  });

  it('/memory show: with context.fileName naming AGENTS.md, each persona\'s section is loaded once', async () => {
    const box = sandbox();
    const settings = JSON.stringify({ context: { fileName: ['AGENTS.md', 'GEMINI.md'] } });
    const personas = applyBuiltins(box, ['gemini'], { 'AGENTS.md': '# Team\n\nTEAM-RULES\n', 'GEMINI.md': 'USERS-OWN-GEMINI-MD\n', '.gemini/settings.json': settings });
    box.write('../home/.gemini/trustedFolders.json', JSON.stringify({ [box.repo]: 'TRUST_FOLDER' }));
    box.write('../home/.gemini/settings.json', JSON.stringify({ general: { maxAttempts: 1, retryFetchErrors: false } }));
    const { stdout } = await slash(box, '/memory show');
    expect(stdout).toContain('USERS-OWN-GEMINI-MD');
    expect(stdout.split('TEAM-RULES').length - 1).toBe(1);
    for (const persona of personas) expect(stdout.split(firstLine(persona.section)).length - 1).toBe(1);
  });

  it("/commands list: every workflow is a project command; dp's tools.exclude is read (and said to be deprecated)", async () => {
    const { box, personas } = prepared();
    const { stdout, stderr } = await slash(box, '/commands list');
    expect(stderr).toContain('tools.exclude in settings.json is deprecated and will be removed in 1.0');
    expect(stdout).toContain(`### Project Commands (${box.repo}/.gemini/commands)`);
    const names = personas.flatMap((p) => viewOf(p).workflows.map((w) => w.name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(stdout).toContain(`- ${name}.toml`);
  });
});
