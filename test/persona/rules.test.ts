// The rule policy custom personas are validated against (shared/persona/rules.ts): blanket allows are
// refused, broad ones warned about, and environment variables that steer commands or hold secrets named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePersona } from '../../shared/persona/load.js';
import { customPersonaWarnings } from '../../shared/persona/custom-warnings.js';
import { isBlanketAllow, isBroadAllow, isSecretEnvName, riskyEnvNames } from '../../shared/persona/rules.js';

describe('isBlanketAllow', () => {
  it.each(['Bash', 'Bash(*)', 'Bash(*:*)', 'Bash(**)', 'Bash(:*)', 'Bash( * )', 'Bash(* *)', 'Bash(***)', 'Bash(*: *)', 'PowerShell', 'PowerShell(*)', 'PowerShell(**)', 'PowerShell( : * )'])(
    'refuses %s: it matches every command',
    (rule) => {
      expect(isBlanketAllow(rule)).toBe(true);
    },
  );

  it.each(['Bash(npm test)', 'Bash(git log *)', 'Bash(* --version)', 'Bash(ls*)', 'Read', 'Edit(**)', 'WebFetch'])('leaves %s to the other checks', (rule) => {
    expect(isBlanketAllow(rule)).toBe(false);
  });
});

describe('isBroadAllow', () => {
  it.each(['Edit(//**)', 'Edit(~/**)', 'Read(//**)', 'Read(~/**)', 'Edit(/**)', 'Write(//**)', 'Edit(~)', 'Read(//)', 'Edit(./**)', 'Edit(*)', 'Edit(**)', 'Edit', 'Write'])(
    'flags %s: files at large',
    (rule) => {
      expect(isBroadAllow(rule)).toBe(true);
    },
  );

  it.each([
    'Bash(find *)',
    'Bash(find . *)',
    'Bash(awk *)',
    'Bash(sed *)',
    'Bash(sed -i *)',
    'Bash(tar *)',
    'Bash(xargs *)',
    'Bash(go run *)',
    'Bash(go *)',
    'Bash(cargo run *)',
    'Bash(uvx *)',
    'Bash(pipx run *)',
    'Bash(ruby *)',
    'Bash(php *)',
    'Bash(java *)',
    'Bash(java -jar *)',
    'Bash(dotnet run *)',
    'Bash(powershell *)',
    'Bash(pwsh -c *)',
    'Bash(python *)',
    'Bash(npm run *)',
    'Bash(git:*)',
    'Bash(* --help)',
  ])('flags %s: a program-wide allow of something that runs or writes anything', (rule) => {
    expect(isBroadAllow(rule)).toBe(true);
  });

  it.each([
    'Edit(/design/mocks/**)',
    'Edit(docs/adr/*.md)',
    'Read(~/.config/app/settings.json)',
    'Read(src/**)',
    'Bash(go test ./...)',
    'Bash(go vet ./...)',
    'Bash(cargo test)',
    'Bash(git log *)',
    'Bash(ps *)',
    'Bash(make lint)',
    'WebFetch(domain:docs.python.org)',
  ])('leaves %s alone: narrow', (rule) => {
    expect(isBroadAllow(rule)).toBe(false);
  });
});

describe('riskyEnvNames', () => {
  it('names what changes what allowed commands execute or where data goes, and secrets, in the order given', () => {
    const env = {
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      GIT_EXTERNAL_DIFF: '/tmp/x',
      PYTHONUNBUFFERED: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_PAGER: 'sh',
      GIT_SSH_COMMAND: 'ssh -o ProxyCommand=x',
      PAGER: 'sh',
      EDITOR: 'vim',
      VISUAL: 'code',
      NODE_OPTIONS: '--require ./x.js',
      LD_PRELOAD: '/tmp/x.so',
      LD_LIBRARY_PATH: '/tmp',
      DYLD_INSERT_LIBRARIES: '/tmp/x.dylib',
      BASH_ENV: '/tmp/x.sh',
      ENV: '/tmp/x.sh',
      PROMPT_COMMAND: 'x',
      PYTHONSTARTUP: '/tmp/x.py',
      PATH: '/tmp:/usr/bin',
      ANTHROPIC_BASE_URL: 'https://proxy.example',
      OPENAI_API_KEY: 'sk-x',
      GITHUB_TOKEN: 'ghp_x',
      CLIENT_SECRET: 'x',
      RELEASE_TRAIN: 'weekly',
    };
    expect(riskyEnvNames(env)).toEqual([
      'GIT_EXTERNAL_DIFF',
      'GIT_CONFIG_COUNT',
      'GIT_PAGER',
      'GIT_SSH_COMMAND',
      'PAGER',
      'EDITOR',
      'VISUAL',
      'NODE_OPTIONS',
      'LD_PRELOAD',
      'LD_LIBRARY_PATH',
      'DYLD_INSERT_LIBRARIES',
      'BASH_ENV',
      'ENV',
      'PROMPT_COMMAND',
      'PYTHONSTARTUP',
      'PATH',
      'ANTHROPIC_BASE_URL',
      'OPENAI_API_KEY',
      'GITHUB_TOKEN',
      'CLIENT_SECRET',
    ]);
  });

  it('leaves ordinary settings alone, including names that only contain a risky word', () => {
    expect(riskyEnvNames({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false', MY_PATH_HINT: 'x', ENVIRONMENT: 'dev', DIGIT_COUNT: '3' })).toEqual([]);
    expect(riskyEnvNames({})).toEqual([]);
  });

  it('tells secrets apart from the rest', () => {
    expect(['OPENAI_API_KEY', 'HF_TOKEN', 'CLIENT_SECRET', 'DB_PASSWORD', 'GIT_PAGER', 'PATH'].filter(isSecretEnvName)).toEqual(['OPENAI_API_KEY', 'HF_TOKEN', 'CLIENT_SECRET', 'DB_PASSWORD']);
  });
});

describe('customPersonaWarnings', () => {
  const repo = mkdtempSync(join(tmpdir(), 'dp-rules-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const custom = (data: Record<string, unknown>) =>
    parsePersona({ persona: 'my-role', display_name: 'My Role', ...data }, { kind: 'custom', dir: repo, file: join(repo, 'profiles/personas/my-role.json') }, 'profiles/personas/my-role.json');

  it('warns about environment variables that steer commands and, separately, about secrets', () => {
    const warnings = customPersonaWarnings(repo, custom({ environment: { RELEASE_TRAIN: 'weekly', GIT_PAGER: 'cat', NODE_OPTIONS: '--require x', OPENAI_API_KEY: 'sk-x' } }));
    expect(warnings).toEqual([
      'my-role sets environment variables that change what allowed commands run or where data goes: GIT_PAGER, NODE_OPTIONS. Every command the assistant runs gets them; remove them unless you mean that',
      'my-role sets what look like secrets in the environment: OPENAI_API_KEY. .claude/settings.json is committed and its env goes to every command: keep secrets out of it (use your shell or a secret manager)',
    ]);
  });

  it('warns about file rules at large as broad allows', () => {
    expect(customPersonaWarnings(repo, custom({ permissions: { allow: ['Bash(make lint)', 'Edit(~/**)', 'Bash(go run *)'] } }))).toEqual([
      'my-role allows broad rules: Edit(~/**), Bash(go run *). They let the assistant run anything those programs can; narrow them if you can',
    ]);
  });

  it('names each allow that a catalogued option turns into a read, write or code execution, with a command it allows', () => {
    const warnings = customPersonaWarnings(repo, custom({ permissions: { allow: ['Bash(make test)', 'Bash(git diff *)', 'Bash(ps *)', 'Bash(git log -n 5 --oneline -- *)', 'Bash(find *)'] } }));
    expect(warnings).toEqual([
      'my-role allows broad rules: Bash(find *). They let the assistant run anything those programs can; narrow them if you can',
      "my-role allows rules that options turn into reads, writes or code execution past its deny rules: Bash(git diff *) allows `git diff --no-index /dev/null .env` (compares any two files outside git: prints .env whole); Bash(ps *) allows `ps e` (BSD option e prints every process's environment: tokens and keys exported in the user's shells). Allow the exact commands you need instead",
    ]);
  });

  it('says nothing about a narrow persona with ordinary variables', () => {
    expect(customPersonaWarnings(repo, custom({ permissions: { allow: ['Bash(make lint)'] }, environment: { RELEASE_TRAIN: 'weekly' } }))).toEqual([]);
  });
});
