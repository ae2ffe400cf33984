// A workflow or subagent template's frontmatter is read strictly: Claude Code drops unknown keys and bad
// values without a word, so dp refuses them, naming the template, the key and what to write instead.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DpError } from '../../shared/errors.js';
import { agentFile, skillFile, yamlScalar } from '../../shared/plan/claude-files.js';
import { parseSubagent, parseWorkflow } from '../../shared/plan/workflows.js';

const permissions = { allow: ['Bash(git log -n 20 --oneline -- *)'], ask: [], deny: [] };
const shownAs = 'personas/qa/workflows/qa-plan.md.ejs';

function workflow(front: string, body = '# Plan\n') {
  return parseWorkflow('qa-plan', `---\n${front}\n---\n${body}`, permissions, shownAs);
}

describe('workflow templates', () => {
  it('read description, argument-hint, allowed-tools and disable-model-invocation, the body untouched', () => {
    expect(workflow('description: Plan the tests\nargument-hint: "<feature>"\nallowed-tools: Read, Bash(git log -n 20 --oneline -- *)\ndisable-model-invocation: true', 'Body $ARGUMENTS\n')).toEqual({
      name: 'qa-plan',
      description: 'Plan the tests',
      argumentHint: '<feature>',
      allowedTools: ['Read', 'Bash(git log -n 20 --oneline -- *)'],
      userOnly: true,
      body: 'Body $ARGUMENTS\n',
    });
  });

  it.each([
    ['description: x\nmodel: opus', `${shownAs}: frontmatter key model is not one dp writes (description, argument-hint, allowed-tools, disable-model-invocation)`],
    ['argument-hint: "<x>"', `${shownAs}: frontmatter description is required`],
    ['description: x\ndescription: y', `${shownAs}: frontmatter key description appears twice`],
    ['description: x\nallowed-tools: Bash(rm -rf *)', `${shownAs}: allowed-tools: Bash(rm -rf *) is not allowed by the persona's settings`],
    ['description: x\nallowed-tools: Shell(ls)', `${shownAs}: allowed-tools: "Shell(ls)" is not a Claude Code tool or permission rule`],
    ['description: x\ndisable-model-invocation: yes', `${shownAs}: disable-model-invocation must be true or false`],
    ['description: "x', `${shownAs}: frontmatter description: "x is not a complete double-quoted string`],
    ['description x', `${shownAs}: frontmatter line "description x" is not "key: value"`],
    [`description: ${'x'.repeat(1025)}`, `${shownAs}: frontmatter description has 1025 characters; at most 1024`],
  ])('refuses %j', (front, message) => {
    expect(() => workflow(front)).toThrow(DpError);
    expect(() => workflow(front)).toThrow(message);
  });

  it('refuses a template without a frontmatter', () => {
    expect(() => parseWorkflow('qa-plan', '# Plan\n', permissions, shownAs)).toThrow(`${shownAs}: must start with a frontmatter between --- lines`);
  });
});

describe('subagent templates', () => {
  const where = 'personas/qa/agents/qa-reviewer.md.ejs';
  it('need a description and a tool list of known tools', () => {
    expect(parseSubagent('qa-reviewer', '---\ndescription: Reviews\ntools: Read, Grep\n---\nYou review.\n', where)).toEqual({ name: 'qa-reviewer', description: 'Reviews', tools: ['Read', 'Grep'], body: 'You review.\n' });
    expect(() => parseSubagent('qa-reviewer', '---\ndescription: Reviews\n---\nYou review.\n', where)).toThrow(`${where}: frontmatter tools is required: without it a subagent gets every tool`);
    expect(() => parseSubagent('qa-reviewer', '---\ndescription: Reviews\ntools: Read, WebFetch\n---\nx\n', where)).toThrow(`${where}: tools: "WebFetch" is not one of`);
  });
});

describe("Claude Code's files", () => {
  it('a YAML parser reads every frontmatter value back as the string dp meant, however it is spelled', () => {
    for (const value of ['plain words', 'a: colon', 'hash # inside', '"quoted"', "it's", '[bracket', '<angle>', '*star', 'trailing:', 'ends with space ', 'yes', 'True', 'null', 'café ☕']) {
      expect(parseYaml(`key: ${yamlScalar(value)}`), value).toEqual({ key: value });
      expect(parseYaml(`key: ${yamlScalar(value)}`, { version: '1.1' }), `${value} (YAML 1.1)`).toEqual({ key: value });
    }
  });

  it('write the skill and the agent with their names first', () => {
    const skill = skillFile({ name: 'qa-plan', description: 'Plan: the tests', allowedTools: [], userOnly: false, body: 'B\n' });
    expect(skill).toEqual({ path: '.claude/skills/qa-plan/SKILL.md', content: '---\nname: qa-plan\ndescription: "Plan: the tests"\n---\nB\n', executable: false });
    expect(agentFile({ name: 'qa-reviewer', description: 'Reviews', tools: ['Read'], body: 'You review.\n' }).content).toBe('---\nname: qa-reviewer\ndescription: Reviews\ntools: Read\n---\nYou review.\n');
  });
});
