// The checks the persona tests rely on must themselves catch what they are meant to catch.
import { describe, expect, it } from 'vitest';
import { frontmatter, shadowingRule, yamlProblem } from './checks.js';

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
});
