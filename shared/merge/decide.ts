// What to do with one piece of content dp generates (a whole file, or a CLAUDE.md section body),
// given what is on disk now and what dp generated last time (the base):
//   nothing on disk, never written      -> create
//   on disk equals the new version      -> unchanged (also repairs a run interrupted before its record)
//   on disk equals the base             -> upgrade (the user did not touch it)
//   base equals the new version         -> keep (the user edited it, the template did not change)
//   both changed                        -> three-way merge: merged, or conflict
//   recorded but gone from disk         -> deleted (the user removed it; not restored unless asked)
//   on disk, never written by dp        -> conflict (with an empty base: nothing is assumed)
// Line endings do not count as changes; texts to write take the line ending of the file on disk.
import { dominantEol, toLf, withEol } from './eol.js';
import { threeWayMerge } from './three-way.js';

export type Decision =
  | { action: 'create' }
  | { action: 'unchanged' }
  | { action: 'upgrade'; text: string }
  | { action: 'keep' }
  | { action: 'merge'; text: string }
  | { action: 'conflict'; markers: string; reason: 'both-changed' | 'not-ours' }
  | { action: 'deleted' };

export function decide(disk: string | null, base: string | null, next: string, theirsLabel: string): Decision {
  if (disk === null) return base === null ? { action: 'create' } : { action: 'deleted' };
  const eol = dominantEol(disk);
  const [mine, ours, theirs] = [toLf(disk), base === null ? null : toLf(base), toLf(next)];
  if (mine === theirs) return { action: 'unchanged' };
  if (ours === null) {
    return { action: 'conflict', markers: withEol(threeWayMerge('', mine, theirs, theirsLabel).text, eol), reason: 'not-ours' };
  }
  if (mine === ours) return { action: 'upgrade', text: withEol(theirs, eol) };
  if (ours === theirs) return { action: 'keep' };
  const merged = threeWayMerge(ours, mine, theirs, theirsLabel);
  const text = withEol(merged.text, eol);
  return merged.clean ? { action: 'merge', text } : { action: 'conflict', markers: text, reason: 'both-changed' };
}
