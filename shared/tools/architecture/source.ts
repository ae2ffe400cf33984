// What the route and model readers share: which files are tests (never read for routes or models:
// the requests a test makes are not routes, the classes a fixture declares are not the data model),
// which files are generated, and the line splitter whose indexes give the reported line numbers.

/**
 * Test files and directories: `test/`, `tests/`, `__tests__/`, `spec/`, `e2e/`, `__mocks__/`,
 * `fixture(s)/` at any depth; `*.test.*`, `*.spec.*` (JavaScript/TypeScript), `*_test.go`,
 * `*_test.py`, `test_*.py`, `*_spec.rb`, `*Test.java`, `*Tests.kt`...
 */
const TEST_FILE = /(^|\/)(test|tests|__tests__|spec|e2e|__mocks__|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py)$|(^|\/)test_[^/]*\.py$|_spec\.rb$|Tests?\.(java|kt)$/;
/** Type declarations and minified bundles: generated, not written. */
const GENERATED = /\.d\.ts$|\.min\.js$/;

/** Whether a source file is read for routes and models at all: not a test, not generated. */
export function isReadableSource(path: string): boolean {
  return !TEST_FILE.test(path) && !GENERATED.test(path);
}

/** The lines of a text; index + 1 is the line number reported. */
export const lines = (text: string): string[] => text.split(/\r?\n/);
