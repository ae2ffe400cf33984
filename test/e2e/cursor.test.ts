// Cursor is the one assistant whose own client cannot check dp's files here: its CLI (cursor-agent) is not
// published on npm (it installs with a script from cursor.com, which this suite cannot reach) and has no
// offline command that lists the rules, commands and permissions it loaded. What dp writes for Cursor is
// checked against Cursor's documented formats in test/assistants/cursor.test.ts and through the built dp in
// test/assistants/codex-gemini-copilot-cursor-dp.test.ts.
import { it } from 'vitest';

it.skip('Cursor CLI loads what dp writes (skipped: cursor-agent is not on npm and lists nothing offline; formats are checked in test/assistants/cursor.test.ts)', () => {});
