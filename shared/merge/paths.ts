// Repository paths as dp records and plans them: relative, inside the repository.
import { isAbsolute, normalize, sep } from 'node:path';

/** A path that stays inside the repository: relative, no `..` segment, no NUL. */
export function isRepositoryPath(path: string): boolean {
  const normal = normalize(path);
  return path !== '' && !isAbsolute(path) && !path.includes('\0') && normal !== '..' && !normal.startsWith(`..${sep}`);
}
