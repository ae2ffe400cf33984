// Claude Code Bash rules as the command prefixes (argv words) that Codex rules and Gemini CLI's tool
// settings match. Facts: ../shared/research/assistants.md §2 (prefix_rule: "the pattern must be an
// exact prefix" of the argv) and §3 (run_shell_command(<prefix>)); Claude's matching: bash-rule.ts.
//
// The two directions of safety:
// - an allow may only become a prefix rule when the prefix means exactly what Claude allows: `words *`
//   (the words, then anything or nothing); an exact `Bash(git status)` would become every `git status ...`;
// - an ask or deny may become broader (an exact `Bash(rm -rf /)` asks for or forbids `rm -rf / ...` too),
//   never silently narrower: a trailing glob inside a word (`git push --force*`) covers only the word
//   without it, and that is said.
// An allow that a rule asked for or denied by Claude could overlap, where that rule is not expressed
// exactly, is dropped: the other assistant would run without asking what Claude asks for or refuses.
import { bashSpecifier } from '../persona/bash-rule.js';
import type { PermissionSet } from '../persona/schema.js';

export type Decision = 'allow' | 'ask' | 'deny';

export interface PrefixRule {
  decision: Decision;
  words: string[];
  /** The Claude rules it stands for (several may give the same prefix). */
  sources: string[];
}

export interface PrefixMapping {
  rules: PrefixRule[];
  /** Claude rules that could not be expressed, each with why. */
  notExpressed: Array<{ rule: string; decision: Decision; why: string }>;
  /** Asks and denies expressed only in part (a glob inside their last word). */
  narrowed: Array<{ rule: string; decision: Decision; covers: string }>;
}

/** A word the other assistants tokenize as Claude's specifier reads it: no quotes, escapes, globs or shell syntax. */
const PLAIN_WORD = /^[A-Za-z0-9_./:=@%+,~-]+$/;

type Parsed =
  | { kind: 'prefix'; words: string[] } // `words *` or `words:*`
  | { kind: 'exact'; words: string[] } // `words`
  | { kind: 'partial'; words: string[] } // `words word*`: the last word is a prefix of a word
  | { kind: 'other'; why: string };

function parse(rule: string): Parsed {
  const specifier = bashSpecifier(rule);
  if (specifier === null) return { kind: 'other', why: 'not a command rule' };
  const text = specifier.endsWith(':*') ? `${specifier.slice(0, -2)} *` : specifier;
  const trailing = text.endsWith(' *') ? 'prefix' : text.endsWith('*') ? 'partial' : 'exact';
  const head = trailing === 'prefix' ? text.slice(0, -2) : trailing === 'partial' ? text.slice(0, -1) : text;
  const words = head.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return { kind: 'other', why: 'matches every command' };
  if (!words.every((word) => PLAIN_WORD.test(word))) return { kind: 'other', why: 'a wildcard, quote or shell character inside the command; prefix rules match whole leading words only' };
  return { kind: trailing, words };
}

/** The leading words of a rule before its first wildcard: every command it matches starts with them. */
function leadingWords(rule: string): string[] {
  const specifier = bashSpecifier(rule) ?? '';
  const words = specifier.split(/\s+/).filter((word) => word !== '');
  const firstGlob = words.findIndex((word) => word.includes('*'));
  return firstGlob === -1 ? words : words.slice(0, firstGlob);
}

function startsWith(words: string[], prefix: string[]): boolean {
  return prefix.length <= words.length && prefix.every((word, i) => words[i] === word);
}

/** Whether some command could match both the allowed prefix and a rule with these leading words. */
function mayOverlap(allowed: string[], leading: string[]): boolean {
  return startsWith(allowed, leading) || startsWith(leading, allowed);
}

/** What a rule with a glob inside its last word covers, said once. */
export function narrowedLine(entry: PrefixMapping['narrowed'][number]): string {
  return `${entry.decision} rule \`${entry.rule}\` covers \`${entry.covers}\` only: longer words starting with its last one cannot be expressed`;
}

/**
 * Claude Code looks past `timeout`, `nice`, `nohup`, `time` and `stdbuf` in front of a command (bash-rule.ts);
 * a prefix or first-word rule matches the command as typed, so a deny does not hold behind one.
 */
export const WRAPPED_DENY_LINE = 'that a deny also holds behind a wrapper (`timeout 5 sudo ...`, `nice sudo ...`) cannot be expressed: the rule matches the command as typed, where Claude Code looks past such wrappers';

/** One prefix rule per decision and prefix: `Bash(git push)` and `Bash(git push *)` ask for the same words. */
function addRule(mapping: PrefixMapping, decision: Decision, words: string[], source: string): void {
  const same = mapping.rules.find((other) => other.decision === decision && other.words.join(' ') === words.join(' '));
  if (same) same.sources.push(source);
  else mapping.rules.push({ decision, words, sources: [source] });
}

/** A word naming a file by a relative path (`scripts/tool.sh`, `./run`): a file in the repository. */
const REPOSITORY_PATH = /^(?!\/)[^/]*\/./;

/**
 * `asks: 'rules'` where the assistant has prompt rules (Codex: the strictest matching rule wins);
 * `asks: 'default'` where asking is what it does for any command not allowed (Gemini CLI): the asks are
 * then written nowhere, and an allow they could overlap is dropped.
 * `editDenies: false` where the assistant cannot hold the persona's Edit/Write denies (Codex, Gemini CLI):
 * it may change any file of the repository without asking, so an allow that runs or names one (Claude
 * allows `scripts/tool.sh *` because it denies editing that script) would run code it can change.
 */
export function commandPrefixes(permissions: PermissionSet, asks: 'rules' | 'default', { editDenies = true }: { editDenies?: boolean } = {}): PrefixMapping {
  const mapping: PrefixMapping = { rules: [], notExpressed: [], narrowed: [] };
  const inexact: string[][] = [];
  if (asks === 'default') inexact.push(...permissions.ask.filter((rule) => bashSpecifier(rule) !== null).map(leadingWords));
  for (const decision of asks === 'rules' ? (['deny', 'ask'] as const) : (['deny'] as const)) {
    for (const rule of permissions[decision]) {
      const parsed = parse(rule);
      if (parsed.kind === 'other') {
        if (bashSpecifier(rule) !== null) {
          mapping.notExpressed.push({ rule, decision, why: parsed.why });
          inexact.push(leadingWords(rule));
        }
        continue;
      }
      addRule(mapping, decision, parsed.words, rule);
      if (parsed.kind === 'partial') {
        mapping.narrowed.push({ rule, decision, covers: parsed.words.join(' ') });
        inexact.push(parsed.words.slice(0, -1));
      }
    }
  }
  for (const rule of permissions.allow) {
    const parsed = parse(rule);
    if (parsed.kind === 'other') {
      if (bashSpecifier(rule) !== null) mapping.notExpressed.push({ rule, decision: 'allow', why: parsed.why });
    } else if (parsed.kind !== 'prefix') {
      mapping.notExpressed.push({ rule, decision: 'allow', why: `a prefix rule would also allow every longer \`${parsed.words.join(' ')} ...\`` });
    } else if (!editDenies && parsed.words.some((word) => REPOSITORY_PATH.test(word))) {
      mapping.notExpressed.push({ rule, decision: 'allow', why: 'it runs a file of the repository, which the assistant may change without asking: the deny on editing it cannot be expressed' });
    } else {
      const overlapping = inexact.find((leading) => mayOverlap(parsed.words, leading));
      if (overlapping) mapping.notExpressed.push({ rule, decision: 'allow', why: 'it would also allow commands the persona asks for or denies with a rule that cannot be expressed as a prefix' });
      else addRule(mapping, 'allow', parsed.words, rule);
    }
  }
  return mapping;
}
