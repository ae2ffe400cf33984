// The dp tools the personas allow with open arguments, run the way the allow rules let them run: on a
// repository whose .env and secrets/ hold a marker nothing of those files comes back (escapes.ts CLEARED),
// and the process analyzer's --json report never signals (the `unless` of its --action entry).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../shared/package-root.js';
import { useTempDir } from '../support/tmp.js';

const tempDir = useTempDir('dp-cleared-');
const script = (name: string) => join(packageRoot(), 'dist', 'scripts', `${name}.mjs`);

function secretRepository(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'secrets'));
  writeFileSync(join(dir, '.env'), 'TOKEN=MARKER-env-1234\n');
  writeFileSync(join(dir, 'secrets', 'creds.json'), JSON.stringify({ api_key: 'MARKER-json', num_hidden_layers: 7, hidden_size: 512, num_attention_heads: 8 }));
  writeFileSync(join(dir, 'secrets', 'token'), 'MARKER-raw-token');
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  api:\n    image: app\n    environment:\n      - TOKEN=MARKER-compose\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '4' } }));
  return dir;
}

function run(cwd: string, name: string, args: string[]) {
  const result = spawnSync(process.execPath, [script(name), ...args], { cwd, encoding: 'utf8', env: { ...process.env, PATH: '', NO_COLOR: '1' } });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('tools allowed with open arguments', () => {
  it.each([
    [['--model', '.env'], 2],
    [['--model', 'secrets/token'], 2],
    [['--model', 'secrets'], 2],
    [['--config', '.env', '--params', '7B'], 2],
    [['--config', 'secrets/creds.json', '--params', '7B', '--json'], 0],
  ])('parallel_optimizer %j prints nothing of the file (exit %i)', (args, code) => {
    const result = run(secretRepository(), 'parallel_optimizer', [...args, '--gpus', '1', '--gpu-memory', '80GiB']);
    expect(result.code, result.output).toBe(code);
    expect(result.output).not.toMatch(/MARKER|TOKEN=|1234/);
    // The first 8 bytes read as a number would spell them: no number that long is printed for a foreign file.
    if (code === 2) expect(result.output).not.toMatch(/\d{12,}/);
  });

  it('parallel_optimizer uses only the model shape from a JSON file it is pointed at', () => {
    const result = run(secretRepository(), 'parallel_optimizer', ['--config', 'secrets/creds.json', '--params', '7B', '--gpus', '1', '--gpu-memory', '80GiB', '--json']);
    expect(JSON.stringify(JSON.parse(result.output))).not.toContain('MARKER');
  });

  it.each([[[]], [['--json']]])('analyze_architecture %j on the repository shows neither .env nor the compose secrets', (args) => {
    const result = run(secretRepository(), 'analyze_architecture', args);
    expect(result.code, result.output).toBe(0);
    // It read the compose file (service api, image app) and reported none of its environment.
    expect(result.output).toMatch(/api[\s\S]*app/);
    expect(result.output).not.toContain('MARKER');
  });

  it.each([
    [['--action', 'kill', '--yes', '--json']],
    [['--action=kill', '--yes', '--', '--json']],
  ])('analyze_process_impact <pid> %j, which `Bash(scripts/analyze_process_impact.sh * --json)` matches, signals nothing', async (args) => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const result = run(tempDir(), 'analyze_process_impact', [String(child.pid), ...args, '--no-gpu', '--sample-ms', '0']);
      expect(result.code, result.output).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(child.exitCode).toBeNull();
      expect(child.signalCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
