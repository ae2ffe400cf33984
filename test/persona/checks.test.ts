// The checks the persona tests rely on must themselves catch what they are meant to catch.
import { describe, expect, it } from 'vitest';
import { allowedTools, frontmatter, pathRuleCovers, shadowingRule, yamlProblem } from './checks.js';

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

  it('reads path rules as gitignore patterns from the project root', () => {
    expect(pathRuleCovers('Edit(**/scripts/gpu_monitor.mjs)', 'Edit', 'scripts/gpu_monitor.mjs')).toBe(true);
    expect(pathRuleCovers('Edit(**/scripts/gpu_monitor.mjs)', 'Edit', 'a/b/scripts/gpu_monitor.mjs')).toBe(true);
    expect(pathRuleCovers('Edit(**/scripts/gpu_monitor.mjs)', 'Edit', 'scripts/gpu_monitor.sh')).toBe(false);
    expect(pathRuleCovers('Edit(./scripts/x.sh)', 'Edit', 'scripts/x.sh')).toBe(true);
    expect(pathRuleCovers('Edit(./scripts/x.sh)', 'Edit', 'a/scripts/x.sh')).toBe(false);
    expect(pathRuleCovers('Edit(.env)', 'Edit', 'a/.env')).toBe(true);
    expect(pathRuleCovers('Edit(/design/mocks/**)', 'Edit', 'design/mocks/a/b.html')).toBe(true);
    expect(pathRuleCovers('Edit(docs/*.md)', 'Edit', 'docs/a/b.md')).toBe(false);
    expect(pathRuleCovers('Read(**/scripts/x.sh)', 'Edit', 'scripts/x.sh')).toBe(false);
    expect(pathRuleCovers('Edit(//etc/**)', 'Edit', 'etc/passwd')).toBe(false);
  });

  it('splits allowed-tools at top-level commas only', () => {
    expect(allowedTools('Bash(scripts/gpu_monitor.sh --once), Read, Grep')).toEqual(['Bash(scripts/gpu_monitor.sh --once)', 'Read', 'Grep']);
    expect(allowedTools('Bash(nvidia-smi --query-gpu=a,b --format=csv), Glob')).toEqual(['Bash(nvidia-smi --query-gpu=a,b --format=csv)', 'Glob']);
  });
});
