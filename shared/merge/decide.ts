// What to do with one piece of content dp generates (a whole file, or a CLAUDE.md section body),
// given what is on disk now and what dp generated last time (the base):
//   nothing on disk, never written      -> create
//   on disk equals the new version      -> unchanged (also repairs a run interrupted before its record)
//   on disk equals the base             -> upgrade (the user did not touch it)
//   base equals the new version         -> keep (the user edited it, the template did not change)
//   both changed                        -> three-way merge: merged, or conflict
//   recorded but gone from disk         -> deleted (the user removed it; not restored unless asked)
//   on disk, never written by dp        -> conflict (with an empty base: nothing is assumed)
import { threeWayMerge } from './three-way.js';

export type Decision =
  | { action: 'create' }
  | { action: 'unchanged' }
  | { action: 'upgrade' }
  | { action: 'keep' }
  | { action: 'merge'; text: string }
  | { action: 'conflict'; markers: string; reason: 'both-changed' | 'not-ours' }
  | { action: 'deleted' };

export function decide(disk: string | null, base: string | null, next: string, theirsLabel: string): Decision {
  if (disk === null) return base === null ? { action: 'create' } : { action: 'deleted' };
  if (disk === next) return { action: 'unchanged' };
  if (base === null) {
    return { action: 'conflict', markers: threeWayMerge('', disk, next, theirsLabel).text, reason: 'not-ours' };
  }
  if (disk === base) return { action: 'upgrade' };
  if (base === next) return { action: 'keep' };
  const merged = threeWayMerge(base, disk, next, theirsLabel);
  return merged.clean ? { action: 'merge', text: merged.text } : { action: 'conflict', markers: merged.text, reason: 'both-changed' };
}
