// The checks the persona tests rely on must themselves catch what they are meant to catch.
import { describe, expect, it } from 'vitest';
import { ESCAPE_COMMANDS, allowedTools, bashRuleMatches, frontmatter, shadowingRule, unguarded, yamlProblem } from './checks.js';

describe('persona checks', () => {
  it('reads frontmatter and flags values YAML would not read as plain strings', () => {
    expect(frontmatter('---\ndescription: Do it\nargument-hint: "<x>"\n---\n# T\n')).toEqual({ description: 'Do it', 'argument-hint': '"<x>"' });
    expect(frontmatter('# no frontmatter\n')).toBeNull();
    expect(yamlProblem('Review the diff: tests and lint')).toMatch(/": "/);
    expect(yamlProblem('[path]')).toMatch(/indicator/);
    expect(yamlProblem('"<pid>"')).toBeNull();
    expect(yamlProblem('"unclosed')).not.toBeNull();
    expect(yamlProblem('Read, Grep, Bash(git log *)')).toBeNull();
  });

  it('finds the ask or deny rule that would stop an allow rule from ever applying', () => {
    expect(shadowingRule('Bash(rm -rf node_modules)', ['Bash(rm -rf *)'])).toBe('Bash(rm -rf *)');
    expect(shadowingRule('Bash(git commit -m *)', ['Bash(git commit *)'])).toBe('Bash(git commit *)');
    expect(shadowingRule('Bash(npm install)', ['Bash(npm install *)'])).toBe('Bash(npm install *)');
    expect(shadowingRule('Bash(npm test)', ['Bash(npm run *)', 'Read(./.env)'])).toBeUndefined();
    expect(shadowingRule('Bash(rm -rf dist)', ['Bash(rm -rf /*)', 'Bash(rm -rf ~)'])).toBeUndefined();
    expect(shadowingRule('Bash(npm ci)', ['Bash(npm i *)'])).toBeUndefined();
    expect(shadowingRule('Bash(git status)', ['Bash'])).toBe('Bash');
  });

  it('matches Bash rules as Claude Code does: * is any characters, spaces included, anywhere', () => {
    expect(bashRuleMatches('Bash(git * --output*)', 'git log --output=/tmp/x')).toBe(true);
    expect(bashRuleMatches('Bash(git * --output*)', 'git log -p --output /tmp/x')).toBe(true);
    expect(bashRuleMatches('Bash(git * --output*)', 'git log --oneline')).toBe(false);
    expect(bashRuleMatches('Bash(scripts/analyze_process_impact.sh * --json)', 'scripts/analyze_process_impact.sh 123 --action=kill --yes --json')).toBe(true);
    expect(bashRuleMatches('Bash(scripts/analyze_process_impact.sh * --action *)', 'scripts/analyze_process_impact.sh 123 --action=kill --yes --json')).toBe(false);
    expect(bashRuleMatches('Bash(scripts/analyze_process_impact.sh *--action*)', 'scripts/analyze_process_impact.sh 123 --action=kill --yes --json')).toBe(true);
    expect(bashRuleMatches('Bash(ls *)', 'ls -la')).toBe(true);
    expect(bashRuleMatches('Bash(ls *)', 'lsof')).toBe(false);
    expect(bashRuleMatches('Bash(ls*)', 'lsof')).toBe(true);
    expect(bashRuleMatches('Bash(ls *)', 'ls')).toBe(true);
    expect(bashRuleMatches('Bash(ls *)', 'ls', { bare: false })).toBe(false);
    expect(bashRuleMatches('Bash(npm run test:*)', 'npm run test -- -u')).toBe(true);
    expect(bashRuleMatches('Bash(git * main)', 'git push origin main')).toBe(true);
    expect(bashRuleMatches('Bash(nvidia-smi -q)', 'nvidia-smi -q -f /tmp/x')).toBe(false);
    expect(bashRuleMatches('Bash', 'anything at all')).toBe(true);
    expect(bashRuleMatches('Bash(*)', 'anything at all')).toBe(true);
    expect(bashRuleMatches('Read(**/.env)', 'cat .env')).toBe(false);
  });

  it('splits allowed-tools at top-level commas only', () => {
    expect(allowedTools('Bash(scripts/gpu_monitor.sh --once), Read, Grep')).toEqual(['Bash(scripts/gpu_monitor.sh --once)', 'Read', 'Grep']);
    expect(allowedTools('Bash(nvidia-smi --query-gpu=a,b --format=csv), Glob')).toEqual(['Bash(nvidia-smi --query-gpu=a,b --format=csv)', 'Glob']);
  });

  it('finds the escapes the review found in the rules as they were', () => {
    const before = {
      allow: [
        'Bash(scripts/gpu_monitor.sh --once*)',
        'Bash(scripts/analyze_process_impact.sh * --json)',
        'Bash(nvidia-smi --query-gpu=*)',
        'Bash(nvidia-smi -q *)',
        'Bash(rocm-smi --json *)',
        'Bash(git log *)',
        'Bash(pytest *)',
      ],
      ask: ['Bash(scripts/analyze_process_impact.sh * --action *)', 'Bash(kill *)'],
      deny: ['Read(./.env)'],
    };
    const commands = unguarded(before, ESCAPE_COMMANDS).map((escape) => escape.command);
    expect(commands).toEqual(
      expect.arrayContaining([
        'scripts/analyze_process_impact.sh 1 --action=kill --yes --json',
        'scripts/gpu_monitor.sh --once --log /tmp/x',
        'git log --output=/tmp/x',
        'nvidia-smi -q -f /tmp/x',
        'nvidia-smi --query-gpu=name --format=csv -f /tmp/x',
        'nvidia-smi -q -pm 0',
        'rocm-smi --json --setfan 255',
        'pytest --basetemp=/home/user',
        'pytest @args.txt',
      ]),
    );
    // The ask rule as it was caught only the spaced form.
    expect(commands).not.toContain('scripts/analyze_process_impact.sh 1 --action kill --yes --json');
    expect(unguarded({ ...before, ask: [...before.ask, 'Bash(git * --output*)'] }, ['git log --output=/tmp/x'])).toEqual([]);
  });
});

