// The Markdown instruction files that hold dp's sections among the user's text. The concurrent-write merge
// (shared/merge/concurrent.ts) treats a planned deletion of one like CLAUDE.md's: what another program
// added meanwhile stays. Every adapter's sections go to a file listed here (test/assistants checks it).
export const INSTRUCTION_FILES: readonly string[] = ['CLAUDE.md', 'AGENTS.md', 'GEMINI.md', '.github/copilot-instructions.md'];
