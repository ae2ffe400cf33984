import { describe, expect, it } from 'vitest';
import { decide } from '../../shared/merge/decide.js';
import { splitLines, threeWayMerge } from '../../shared/merge/three-way.js';

const base = 'one\ntwo\nthree\nfour\nfive\n';

describe('three-way merge (lines as units)', () => {
  it('merges edits separated by an unchanged line', () => {
    const yours = 'one\ntwo (mine)\nthree\nfour\nfive\n';
    const theirs = 'one\ntwo\nthree\nfour (new)\nfive\n';
    expect(threeWayMerge(base, yours, theirs, 'generator-dp 2.0.0')).toEqual({ clean: true, text: 'one\ntwo (mine)\nthree\nfour (new)\nfive\n', conflicts: 0 });
  });

  it('marks overlapping edits as a conflict, yours first', () => {
    const result = threeWayMerge(base, 'one\nTWO\nthree\nfour\nfive\n', 'one\n2\nthree\nfour\nfive\n', 'generator-dp 2.0.0');
    expect(result.clean).toBe(false);
    expect(result.text).toBe('one\n<<<<<<< yours\nTWO\n=======\n2\n>>>>>>> generator-dp 2.0.0\nthree\nfour\nfive\n');
  });

  it('keeps text without a final newline exact', () => {
    expect(splitLines('a\nb').join('')).toBe('a\nb');
    expect(threeWayMerge('a\nb', 'a\nb', 'a\nb\nc', 'x').text).toBe('a\nb\nc');
  });
});

describe('what to do with generated content', () => {
  it.each([
    ['nothing there, never written', null, null, 'new', 'create'],
    ['already the new version', 'new', 'old', 'new', 'unchanged'],
    ['untouched since dp wrote it', 'old', 'old', 'new', 'upgrade'],
    ['edited, template unchanged', 'mine', 'old', 'old', 'keep'],
    ['deleted by the user', null, 'old', 'new', 'deleted'],
  ])('%s -> %s', (_name, disk, prior, next, action) => {
    expect(decide(disk, prior, next, 'x').action).toBe(action);
  });

  it('merges when both changed apart, reports a conflict when they overlap', () => {
    expect(decide('1\nmine\n3\n4\n5\n', '1\n2\n3\n4\n5\n', '1\n2\n3\n4\nnew\n', 'x')).toEqual({ action: 'merge', text: '1\nmine\n3\n4\nnew\n' });
    expect(decide('1\nmine\n3\n', '1\n2\n3\n', '1\nnew\n3\n', 'x').action).toBe('conflict');
  });

  it('treats a file dp never wrote as a conflict, not as ours to replace', () => {
    const decision = decide('the user wrote this\n', null, 'dp content\n', 'x');
    expect(decision).toMatchObject({ action: 'conflict', reason: 'not-ours' });
  });
});
