// docs/errors.md is the catalogue of bad inputs: every entry is run here as a user would meet it, and
// the first line of what it prints, its exit code, and "nothing was written" are checked against the doc.
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { holdLock, releaseLock } from '../../shared/commit/lock.js';
import { createProject, dp, type Ran } from '../support/cli.js';
import { installFakeSmi } from '../support/fake-nvidia-smi.js';
import { anotherUsersProcess, impact, inNewSession, kernelThread, NEVER_STARTED, noKernelThread, noOtherUser, onItsShell } from '../support/impact-targets.js';
import { snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';
import { yoProcess } from '../support/yo-process.js';
import { ownFixture, projectRows } from '../tools/gpu-monitor/helpers.js';

const newDir = useTempDir('dp-errors-');
const scripts = fileURLToPath(new URL('../../dist/scripts/', import.meta.url));
const catalogue = readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8');

interface Entry {
  id: string;
  message: string;
  exit: number;
}

const entries: Entry[] = [...catalogue.matchAll(/^\| (E\d+) \|[^|]*\|.*?\| `(.+)` \| (\d) \|$/gm)].map(([, id, message, exit]) => ({
  id: id!,
  message: message!.replace(/\\\|/g, '|'),
  exit: Number(exit),
}));

function put(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

function tool(dir: string, script: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return execa('node', [join(scripts, `${script}.mjs`), ...args], { cwd: dir, reject: false, stdin: 'ignore', env: { NO_COLOR: '1', PATH: '/usr/bin:/bin', ...env } }) as unknown as Promise<Ran>;
}

/** Two samples of one GPU, as --log writes them. */
const LOG_CSV = 'timestamp,gpu_index,utilization_gpu_percent,utilization_memory_percent,memory_used_mib,memory_total_mib,temperature_c,power_draw_w,power_limit_w\n2026-01-01T00:00:00.000Z,0,50,20,1000,81559,40,100,700\n2026-01-01T00:00:01.000Z,0,60,20,1000,81559,41,110,700\n';

const seed = (extra: Record<string, unknown>) => JSON.stringify({ persona: 'my-role', display_name: 'My Role', ...extra });
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** How each entry is produced: optional set-up (not checked), then the run (must write nothing). */
/** How each entry is produced; `unavailable` says why this machine cannot produce it (the entry is skipped, with that notice). */
const scenarios: Record<string, { setup?: (dir: string) => void | Promise<unknown>; run: (dir: string) => Promise<Ran>; unavailable?: () => string | null }> = {
  E01: { run: (dir) => dp(dir, ['bogus']) },
  E02: { run: (dir) => dp(dir, ['persona', 'add']) },
  E03: { run: (dir) => dp(dir, ['persona', 'add', 'astronaut']) },
  E04: { run: (dir) => dp(dir, ['persona', 'add', 'ds', '--frobnicate']) },
  E05: { run: (dir) => dp(dir, ['persona', 'add', 'ds', '--on-conflict', 'maybe']) },
  E06: { setup: (dir) => dp(dir, ['persona', 'add', 'ds']), run: (dir) => dp(dir, ['persona', 'remove', 'designer']) },
  E07: { run: (dir) => dp(dir, ['upgrade']) },
  E08: { run: (dir) => dp(dir, ['graduate']) },
  E09: { run: (dir) => dp(dir, ['persona', 'add', 'developer']) },
  E10: { run: (dir) => dp(dir, ['persona', 'add', 'developer', '--level', 'guru']) },
  E11: { setup: (dir) => dp(dir, ['persona', 'add', 'developer', '--level', 'l1']), run: (dir) => dp(dir, ['graduate']) },
  E12: { setup: (dir) => put(dir, '.claude/settings.json', '{\n  // my rules\n  "permissions": {}\n}\n'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E13: { setup: (dir) => put(dir, '.claude/settings.json', '{\n  "env": {"A": "1"},\n}\n'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E14: { setup: (dir) => put(dir, '.claude/settings.json', '{"permissions": '), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E15: { setup: (dir) => put(dir, '.claude/settings.json', '{"env": {"DEBUG": true}}'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E16: { setup: (dir) => put(dir, '.claude/settings.json', '{"permissions": {"block": ["Bash(rm *)"]}}'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E83: { run: (dir) => dp(dir, ['persona', 'add', 'pm', '--status-line']) },
  E102: { run: (dir) => dp(dir, ['persona', 'add', 'pm', '--no-status-line']) },
  E103: { run: (dir) => dp(dir, ['persona', 'add', 'ds', '--status-line', '--no-status-line']) },
  E82: { setup: (dir) => put(dir, '.claude/settings.json', '{"hooks": {"PreToolUse": {"matcher": "Bash"}}}'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E70: {
    setup: (dir) => put(dir, '.claude/settings.json', '{\n  "permissions": {\n    "allow": ["Bash(make)"],\n    "allow": ["Bash(ls)"]\n  }\n}\n'),
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E90: { run: (dir) => dp(dir, ['persona', 'add', 'pm', '--assistants', 'windsurf']) },
  E91: { setup: async (dir) => expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0), run: (dir) => dp(dir, ['assistants', 'remove', 'agents']) },
  E92: { setup: async (dir) => expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0), run: (dir) => dp(dir, ['assistants', 'remove', 'claude']) },
  E110: { setup: (dir) => put(dir, '.cursor/cli.json', '{\n  // mine\n  "permissions": {}\n}\n'), run: (dir) => dp(dir, ['persona', 'add', 'pm', '--assistants', 'cursor']) },
  E95: { run: (dir) => dp(dir, ['assistants', 'add', 'agents']) },
  E93: { setup: (dir) => put(dir, 'AGENTS.md', '# Team\n<!-- dp:begin pm -->\nhalf a section\n'), run: (dir) => dp(dir, ['persona', 'add', 'pm', '--assistants', 'agents']) },
  E94: {
    setup: async (dir) => {
      expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
      const record = readFileSync(join(dir, '.claude/persona.json'), 'utf8');
      writeFileSync(join(dir, '.claude/persona.json'), record.replace('"format": 2,', '"format": 2,\n  "assistants": ["claude", "windsurf"],'));
    },
    run: (dir) => dp(dir, ['upgrade']),
  },
  E17: { setup: (dir) => put(dir, 'CLAUDE.md', '# Ours\n<!-- dp:begin data-scientist -->\nhalf a section\n'), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E18: {
    setup: (dir) => put(dir, 'CLAUDE.md', '<!-- dp:begin pm -->\n<!-- dp:end pm -->\n<!-- dp:begin pm -->\n<!-- dp:end pm -->\n'),
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E19: { setup: (dir) => put(dir, '.claude/persona.json', '{"generator": "generator-dp", '), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E20: {
    setup: async (dir) => {
      await dp(dir, ['persona', 'add', 'ds']);
      const record = JSON.parse(readFileSync(join(dir, '.claude/persona.json'), 'utf8'));
      writeFileSync(join(dir, '.claude/persona.json'), JSON.stringify({ ...record, version: '99.0.0' }));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'pm']),
  },
  E21: {
    setup: (dir) => {
      const outside = newDir();
      put(outside, 'SHARED-CLAUDE.md', '# shared\n');
      symlinkSync(join(outside, 'SHARED-CLAUDE.md'), join(dir, 'CLAUDE.md'));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E22: {
    setup: (dir) => {
      const outside = newDir();
      put(outside, 'settings.json', '{}\n');
      mkdirSync(join(dir, '.claude'));
      symlinkSync(join(outside, 'settings.json'), join(dir, '.claude/settings.json'));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E23: {
    setup: (dir) => {
      put(dir, 'CLAUDE.md', '# Frozen\n');
      chmodSync(join(dir, 'CLAUDE.md'), 0o444);
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E24: {
    setup: (dir) => {
      mkdirSync(join(dir, '.claude'));
      chmodSync(join(dir, '.claude'), 0o555);
      cleanups.push(() => chmodSync(join(dir, '.claude'), 0o755));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds']),
  },
  E25: {
    setup: (dir) => {
      holdLock(dir);
      cleanups.push(() => releaseLock(dir));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds'], { env: { DP_LOCK_WAIT_MS: '200', NO_COLOR: '1' } }),
  },
  E26: { setup: (dir) => put(dir, 'profiles/personas/my-role.json', seed({ commands: ['../../outside'] })), run: (dir) => dp(dir, ['persona', 'add', 'my-role']) },
  E27: { setup: (dir) => put(dir, 'profiles/personas/my-role.json', seed({ environment: { 'my-var': '1' } })), run: (dir) => dp(dir, ['persona', 'add', 'my-role']) },
  E28: {
    setup: (dir) => put(dir, 'profiles/personas/my-role.json', seed({ permissions: { defaultMode: 'bypassPermissions' } })),
    run: (dir) => dp(dir, ['persona', 'add', 'my-role']),
  },
  E29: { setup: (dir) => put(dir, 'profiles/personas/my-role.json', seed({ permissions: { allow: ['Bash(*)'] } })), run: (dir) => dp(dir, ['persona', 'add', 'my-role']) },
  E30: { setup: (dir) => put(dir, 'profiles/personas/my-role.json', '{"persona": "my-role",'), run: (dir) => dp(dir, ['persona', 'add', 'my-role']) },
  E75: { setup: (dir) => put(dir, 'profiles/personas/my-role.json', seed({ instructions: 'Never push\u202E to main' })), run: (dir) => dp(dir, ['persona', 'add', 'my-role']) },
  E76: {
    setup: (dir) => {
      put(dir, 'profiles/personas/my-role.json', seed({}));
      put(dir, '.claude/commands/sets/my-role/cut\u202Eesaeler.md', 'Cut it.\n');
    },
    run: (dir) => dp(dir, ['persona', 'add', 'my-role']),
  },
  E31: { run: (dir) => yoProcess(dir, 'app') },
  E32: { run: (dir) => yoProcess(dir, 'developer') },
  E33: { run: (dir) => yoProcess(dir, 'persona') },
  E34: { setup: (dir) => put(dir, 'busy/README.md', 'mine\n'), run: (dir) => createProject(dir, ['busy', '--persona', 'ds']) },
  E35: { run: (dir) => createProject(dir, ['new-app']) },
  E52: { setup: (dir) => writeFileSync(join(dir, 'CLAUDE.md'), Buffer.from('# Notes\nCaf\xe9 au lait\n', 'latin1')), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E53: { setup: (dir) => writeFileSync(join(dir, 'CLAUDE.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Notes\n', 'utf16le')])), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E54: { setup: (dir) => symlinkSync('CLAUDE.md', join(dir, 'CLAUDE.md')), run: (dir) => dp(dir, ['persona', 'add', 'ds']) },
  E55: {
    setup: async (dir) => {
      await dp(dir, ['persona', 'add', 'pm']);
      const record = JSON.parse(readFileSync(join(dir, '.claude/persona.json'), 'utf8'));
      const [first] = Object.keys(record.managed.files);
      record.managed.files['../outside.md'] = record.managed.files[first!];
      writeFileSync(join(dir, '.claude/persona.json'), JSON.stringify(record));
    },
    run: (dir) => dp(dir, ['persona', 'remove', 'pm']),
  },
  E56: {
    setup: (dir) => {
      const lockDir = join(`${dir}-tmp`, `generator-dp-${process.getuid?.() ?? 'user'}`);
      mkdirSync(lockDir, { recursive: true });
      chmodSync(lockDir, 0o777);
      cleanups.push(() => rmSync(`${dir}-tmp`, { recursive: true, force: true }));
    },
    run: (dir) => dp(dir, ['persona', 'add', 'ds'], { env: { NO_COLOR: '1', TMPDIR: `${dir}-tmp`, XDG_RUNTIME_DIR: '' } }),
  },
  E51: { run: (dir) => createProject(dir, ['new-app', '--persona', 'dev', '--level', 'guru']) },
  E77: {
    setup: (dir) => dp(dir, ['persona', 'add', 'developer', '--level', 'l1']),
    run: (dir) => createProject(dir, ['.', '--force', '--persona', 'dev', '--level', 'expert']),
  },
  E80: { run: (dir) => createProject(dir, ['--yes']) },
  E81: { run: (dir) => dp(dir, ['persona', 'add', 'pm', '--level', 'l1']) },
  E36: { run: (dir) => tool(dir, 'analyze_process_impact', []) },
  E37: { run: (dir) => tool(dir, 'analyze_process_impact', ['abc']) },
  E38: { run: (dir) => tool(dir, 'analyze_process_impact', ['999999999']) },
  E39: { run: (dir) => tool(dir, 'analyze_process_impact', ['1', '--action', 'explode']) },
  E50: { run: (dir) => tool(dir, 'analyze_process_impact', ['1', '--action=kill', '--yes', '--json']) },
  E40: { run: (dir) => tool(dir, 'gpu_monitor', ['--once']) },
  E41: {
    run: (dir) => {
      const bin = join(newDir(), 'bin');
      const PATH = installFakeSmi(bin, [{ match: [], stdout: 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n', exitCode: 9 }]);
      return tool(dir, 'gpu_monitor', ['--once'], { PATH });
    },
  },
  E42: { run: (dir) => tool(dir, 'gpu_monitor', ['--interval', '0']) },
  E43: { run: (dir) => tool(dir, 'gpu_monitor', ['--plot', 'run.csv', '-o', 'run.svg']) },
  E120: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--grad-precision', 'x']) },
  E121: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--precision', 'fp32', '--grad-precision', 'bf16']) },
  E122: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--precision', 'fp16', '--grad-precision', 'bf16']) },
  E123: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--layers', '32', '--hidden-size', '4096', '--heads', '32', '--kv-heads', '5']) },
  E124: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--units', 'TB']) },
  E125: {
    setup: (dir) => {
      put(dir, 'run.csv', LOG_CSV);
      symlinkSync(join(newDir(), 'not-yet.svg'), join(dir, 'out.svg'));
    },
    run: (dir) => tool(dir, 'gpu_monitor', ['--plot', 'run.csv', '-o', 'out.svg']),
  },
  E126: { setup: (dir) => put(dir, 'run.csv', LOG_CSV), run: (dir) => tool(dir, 'gpu_monitor', ['--plot', 'run.csv', '-o', '/dev/null']) },
  E127: { run: (dir) => tool(dir, 'gpu_monitor', ['--prometheus', '0', '--host', '192.0.2.1']) },
  E44: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7Q']) },
  E45: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '0']) },
  E46: { setup: (dir) => put(dir, 'model.safetensors', 'garbage'), run: (dir) => tool(dir, 'parallel_optimizer', ['--model', 'model.safetensors', '--gpus', '1', '--gpu-memory', '80GiB']) },
  E47: {
    setup: (dir) => {
      const header = Buffer.alloc(8);
      header.writeBigUInt64LE(1_000_000n);
      put(dir, 'model.safetensors', '');
      writeFileSync(join(dir, 'model.safetensors'), Buffer.concat([header, Buffer.from('{"a":1}')]));
    },
    run: (dir) => tool(dir, 'parallel_optimizer', ['--model', 'model.safetensors', '--gpus', '1', '--gpu-memory', '80GiB']),
  },
  E48: { setup: (dir) => put(dir, 'model.pt', 'pickle'), run: (dir) => tool(dir, 'parallel_optimizer', ['--model', 'model.pt', '--gpus', '1', '--gpu-memory', '80GiB']) },
  E49: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B']) },
  // E60-E65 are safe on code without these refusals: see test/support/impact-targets.ts.
  E60: { run: (dir) => impact(dir, ['1', '--action', 'kill', '--yes', ...NEVER_STARTED]) },
  E61: { unavailable: noKernelThread, run: (dir) => impact(dir, [String(kernelThread()), '--action', 'graceful', '--yes', ...NEVER_STARTED]) },
  E62: { run: (dir) => onItsShell(dir) },
  E63: { run: () => inNewSession(newDir(), 'leader') },
  E64: {
    unavailable: noOtherUser,
    run: async (dir) => {
      const other = anotherUsersProcess();
      cleanups.push(other.stop);
      return impact(dir, [String(other.pid), '--action', 'suspend', '--yes']);
    },
  },
  E65: { run: () => inNewSession(newDir(), 'its parent') },
  E66: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '1e30', '--gpu-memory', '80GiB']) },
  E67: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--headroom', '1']) },
  E68: { run: (dir) => tool(dir, 'parallel_optimizer', ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--seq-len', '1e30']) },
  E69: { run: (dir) => tool(dir, 'analyze_process_impact', ['1', '--sample-ms', '-5']) },
  E96: {
    run: (dir) => {
      const PATH = installFakeSmi(join(newDir(), 'bin'), [{ match: ['--query-gpu'], stdout: projectRows(ownFixture('query-gpu_h100-x8_train.csv')) }]);
      return tool(dir, 'gpu_monitor', ['--once', '--gpus', '0,9'], { PATH });
    },
  },
  E97: { run: (dir) => tool(dir, 'gpu_monitor', ['--once', '--gpus', 'a']) },
  E98: { run: (dir) => tool(dir, 'gpu_monitor', ['--cluster-config', 'x']) },
  E99: { setup: (dir) => put(dir, 'monitoring/prometheus-gpu-monitor.yml', 'scrape_configs: []\n'), run: (dir) => tool(dir, 'gpu_monitor', ['--cluster-config', 'all', '--out', 'monitoring']) },
  E100: { setup: (dir) => symlinkSync(newDir(), join(dir, 'linked')), run: (dir) => tool(dir, 'gpu_monitor', ['--cluster-config', 'all', '--out', 'linked']) },
  E101: { run: (dir) => tool(dir, 'analyze_process_impact', ['1', '--action', 'kill', '--wait', '5']) },
};

/** `<...>` in a documented message stands for text that varies (a pid, a temporary path). */
function matches(documented: string, actual: string): boolean {
  const pattern = documented.split('<...>').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${pattern}$`).test(actual);
}

describe('docs/errors.md: the catalogue of bad inputs', () => {
  it('has at least 30 entries, each with a test scenario', () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
    expect(entries.map((e) => e.id).sort()).toEqual(Object.keys(scenarios).sort());
  });

  it.for(entries.map((e) => [e.id, e] as const))('%s: the documented message and exit code, and nothing written', async ([, entry], context) => {
    const scenario = scenarios[entry.id]!;
    const unavailable = scenario.unavailable?.();
    if (unavailable) {
      console.warn(`${entry.id} skipped: ${unavailable}`);
      context.skip();
    }
    const dir = newDir();
    await scenario.setup?.(dir);
    const before = snapshot(dir);
    const result = await scenario.run(dir);
    // Through Yeoman, errors come on its log: in red, after a ✖.
    const lines = result.stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.replace(/^✖ /, ''));
    const firstLine = lines.find((line) => /^[a-z_-]+: /.test(line)) ?? '';
    expect(firstLine, `stderr was:\n${result.stderr}`).toSatisfy((line: string) => matches(entry.message, line));
    expect(result.exitCode).toBe(entry.exit);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(snapshot(dir)).toEqual(before);
  });
});
