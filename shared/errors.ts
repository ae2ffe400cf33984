// dp's code takes its error type from here: a one-line message, a hint saying what to do and the exit code.
// It is defined with the command-line edge that dp, create-dp-project and the standalone tools share
// (shared/tools/lib/cli.ts), where the bundled tools may import it too.
export { DpError, formatError } from './tools/lib/cli.js';
