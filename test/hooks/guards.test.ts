// The developer's git guard and the architect's ADR guard, run as Claude Code runs them: the exact
// PreToolUse payloads on stdin; an "ask" with the explanation, or silence.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bashPayload, decision, editPayload, runHookScript } from './run-hook.js';

describe('git guard (developer, beginner level)', () => {
  it.each([
    ['git push --force origin main', /a force push replaces the branch on the remote/],
    ['git push -f', /a force push/],
    ['git push --force-with-lease origin feature', /a force push/],
    ['git push origin +main', /a force push/],
    ['cd app && git -C . push -uf origin main', /a force push/],
    ['git push origin --delete old-branch', /deletes branches or tags on the remote/],
    ['git reset --hard HEAD~1', /throws away every uncommitted change/],
    ['sudo git rebase -i main', /a rebase rewrites the commits of this branch/],
    ['git filter-branch --tree-filter "rm -f secrets.txt" HEAD', /rewrites the whole history/],
    ['git commit --amend --no-edit', /replaces the last commit/],
    ['git clean -fd', /deletes untracked files for good/],
    ['git checkout -- src/app.ts', /overwrites uncommitted changes/],
    ['git restore src/app.ts', /overwrites uncommitted changes/],
    ['git branch -D feature', /deletes the branch even if its commits are merged nowhere/],
    ['git stash drop', /deletes stashed work/],
  ])('%s asks, saying what it does', async (command, explanation) => {
    const ran = await runHookScript('git-guard', bashPayload(command));
    expect(ran.code).toBe(0);
    const answer = decision(ran)!;
    expect(answer.permissionDecision).toBe('ask');
    expect(answer.permissionDecisionReason).toMatch(explanation);
    expect(answer.permissionDecisionReason).toContain('`dp graduate` moves to a level without this check');
  });

  describe('aliases', () => {
    const repo = mkdtempSync(join(tmpdir(), 'dp-git-alias-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    git('init', '-q');
    git('config', 'alias.pf', 'push --force');
    git('config', 'alias.nuke', '!git reset --hard && git clean -fd');
    git('config', 'alias.st', 'status');
    afterAll(() => rmSync(repo, { recursive: true, force: true }));
    const env = { GIT_CONFIG_GLOBAL: '/dev/null' };

    it.each([
      ['git pf origin main', /^`git push --force origin main`: a force push/],
      ['git nuke', /^`git reset --hard`: git reset --hard throws away[^\n]*\n`git clean -fd`: git clean deletes untracked files/],
      ["git -c alias.yolo='push -f' yolo", /^`git -c alias.yolo=push -f push -f`: a force push/],
    ])('%s (an alias) asks as what it runs', async (command, reason) => {
      const answer = decision(await runHookScript('git-guard', bashPayload(command, repo), env));
      expect(answer?.permissionDecision).toBe('ask');
      expect(answer?.permissionDecisionReason).toMatch(reason);
    });

    it('an alias of a safe command, or none, passes silently', async () => {
      expect(await runHookScript('git-guard', bashPayload('git st && git nosuchalias', repo), env)).toEqual({ code: 0, stdout: '', stderr: '' });
    });
  });

  it.each(['git push', 'git push origin feature', 'git status && git log --oneline', 'git rebase --continue', 'git restore --staged a.ts', 'git checkout -b new', 'echo "git push --force"', 'npm test'])('%s passes silently', async (command) => {
    expect(await runHookScript('git-guard', bashPayload(command))).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('ADR guard (software architect)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'dp-adr-guard-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  mkdirSync(join(repo, 'docs/adr'), { recursive: true });
  const accepted = '# 3. Use PostgreSQL\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n\n## Decision\n\nPostgreSQL 16.\n';
  writeFileSync(join(repo, 'docs/adr/0003-use-postgresql.md'), accepted);
  writeFileSync(join(repo, 'docs/adr/0004-cache.md'), accepted.replace('Accepted', 'Proposed'));
  const path = 'docs/adr/0003-use-postgresql.md';

  it.each([
    ['an Edit of its decision', editPayload('Edit', { file_path: join(repo, path), old_string: 'PostgreSQL 16.', new_string: 'MySQL 8.' }, repo)],
    ['a Write of the whole file', editPayload('Write', { file_path: path, content: accepted.replace('PostgreSQL 16.', 'MySQL 8.') }, repo)],
    ['a MultiEdit that also changes the context', editPayload('MultiEdit', { file_path: path, edits: [{ old_string: 'Accepted', new_string: 'Superseded by [5](0005-mysql.md)' }, { old_string: 'a database', new_string: 'MySQL' }] }, repo)],
  ])('%s of an accepted ADR asks: supersede it with a new one', async (_name, payload) => {
    const answer = decision(await runHookScript('adr-guard', payload, {}, repo))!;
    expect(answer.permissionDecision).toBe('ask');
    expect(answer.permissionDecisionReason).toMatch(/is an accepted ADR: .* write a new ADR that supersedes it/);
  });

  it.each([
    ['marking it superseded', editPayload('Edit', { file_path: join(repo, path), old_string: 'Accepted', new_string: 'Superseded by [5](0005-mysql.md)' }, repo)],
    ['a Write that only deprecates it', editPayload('Write', { file_path: path, content: accepted.replace('Accepted', 'Deprecated') }, repo)],
    ['a proposed ADR', editPayload('Edit', { file_path: join(repo, 'docs/adr/0004-cache.md'), old_string: 'PostgreSQL 16.', new_string: 'Redis.' }, repo)],
    ['a new ADR', editPayload('Write', { file_path: join(repo, 'docs/adr/0005-mysql.md'), content: '# 5. MySQL\n' }, repo)],
    ['another file', editPayload('Edit', { file_path: join(repo, 'README.md'), old_string: 'a', new_string: 'b' }, repo)],
  ])('%s passes silently', async (_name, payload) => {
    expect(await runHookScript('adr-guard', payload, {}, repo)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
