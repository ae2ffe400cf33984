import { describe, expect, it } from 'vitest';
import { DpError } from '../../shared/errors.js';
import { parsePersona } from '../../shared/persona/load.js';

const origin = { kind: 'builtin' as const, dir: '/x', file: '/x/persona.json' };
const builtin = {
  id: 'qa',
  displayName: 'QA',
  menu: 1,
  description: 'Quality',
  workflows: ['qa-plan'],
  agents: ['qa-reviewer'],
  permissions: { allow: ['Bash(make e2e)'], ask: [], deny: ['Read(./.env)'] },
  env: { QA_MODE: 'strict' },
  tools: [],
};

describe('the persona model', () => {
  it('reads the built-in format', () => {
    const persona = parsePersona(builtin, origin, 'personas/qa/persona.json');
    expect(persona).toMatchObject({ id: 'qa', workflows: ['qa-plan'], agents: ['qa-reviewer'], env: { QA_MODE: 'strict' }, files: [] });
  });

  it('reads the seed format users write, block meaning deny', () => {
    const persona = parsePersona(
      { persona: 'my-role', display_name: 'My Role', permissions: { allow: ['Bash(make test)'], block: ['Bash(rm -rf *)'] }, environment: { MY_ROLE: '1' } },
      { ...origin, kind: 'custom' },
      'profiles/personas/my-role.json',
    );
    expect(persona).toMatchObject({
      id: 'my-role',
      displayName: 'My Role',
      commandSet: 'sets/my-role',
      agents: [],
      permissions: { allow: ['Bash(make test)'], ask: [], deny: ['Bash(rm -rf *)'] },
      env: { MY_ROLE: '1' },
    });
  });

  it.each([
    [{ ...builtin, env: { 'qa-mode': 'x' } }, 'personas/qa/persona.json: env.qa-mode: environment variable names must match'],
    [{ ...builtin, env: { QA: 1 } }, 'personas/qa/persona.json: env.QA: environment values must be strings'],
    [{ ...builtin, workflows: ['../escape'] }, 'personas/qa/persona.json: workflows[0]: names are lower-case letters, digits and single dashes'],
    [{ ...builtin, workflows: ['qa--plan'] }, 'personas/qa/persona.json: workflows[0]: names are lower-case letters, digits and single dashes'],
    [{ ...builtin, agents: ['x'.repeat(65)] }, 'personas/qa/persona.json: agents[0]: names are lower-case letters, digits and single dashes (at most 64'],
    [{ ...builtin, commandSet: 'qa' }, 'personas/qa/persona.json: unknown field "commandSet"'],
    [{ ...builtin, permissions: { allow: ['Bash(*)'] } }, 'personas/qa/persona.json: permissions.allow[0]: "Bash(*)" allows every command'],
    [{ ...builtin, permissions: { deny: ['rm -rf'] } }, 'personas/qa/persona.json: permissions.deny[0]: "rm -rf" is not a Claude Code permission rule'],
    [{ ...builtin, files: [{ path: '../outside.md', template: 'x.ejs' }] }, 'personas/qa/persona.json: files[0].path: must be a relative path inside the repository'],
    [{ ...builtin, id: 'QA!' }, 'personas/qa/persona.json: id: must be lower-case letters'],
    [{ ...builtin, colour: 'blue' }, 'personas/qa/persona.json: unknown field "colour"'],
    [{ ...builtin, menu: 0 }, 'personas/qa/persona.json: menu: must be 1 or more'],
    [{ ...builtin, aliases: ['Q A'] }, 'personas/qa/persona.json: aliases[0]: must be lower-case letters'],
  ])('refuses invalid data naming the file and the field: %#', (data, message) => {
    expect(() => parsePersona(data, origin, 'personas/qa/persona.json')).toThrow(DpError);
    expect(() => parsePersona(data, origin, 'personas/qa/persona.json')).toThrow(message);
  });
});
