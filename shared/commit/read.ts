// Reading the repository's files as text. dp keeps every byte outside its own regions, so a file it
// cannot read as UTF-8 without loss (Latin-1, UTF-16) is refused, never decoded with replacement
// characters. A UTF-8 byte-order mark is kept (it decodes to U+FEFF and is written back as it was).
// What a run read is kept in a snapshot: before replacing a file, the commit checks that the file is
// still what the run decided from (commit.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import type { Reader } from '../merge/model.js';
import { isRepositoryPath } from '../merge/paths.js';

/** What a run read from disk, per repository path (null: the file did not exist). */
export type Snapshot = Map<string, string | null>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The first byte that does not start a well-formed UTF-8 sequence, for the error message. */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k += 1) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}

const NOTHING_WRITTEN = 'nothing was written';

/** Decode a file's bytes as UTF-8, refusing anything that would not survive the round trip. */
export function decodeText(bytes: Uint8Array, path: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DpError(`${path} is UTF-16 text; dp reads and writes UTF-8 only, so it leaves the file alone`, `convert it to UTF-8 (iconv -f UTF-16 -t UTF-8 ${path}), then run again; ${NOTHING_WRITTEN}`);
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    throw new DpError(
      `${path} is not UTF-8 text: byte 0x${byte} on line ${line} is not valid UTF-8, so dp leaves the file alone`,
      `save it as UTF-8 (e.g. iconv -f latin1 -t UTF-8 ${path}), then run again; ${NOTHING_WRITTEN}`,
    );
  }
}

/** One file's bytes, or null when there is none. Errors are one line that says what to do. */
function readRepositoryBytes(root: string, path: string): Buffer | null {
  if (!isRepositoryPath(path)) {
    throw new DpError(`${path} is outside this repository`, `dp only reads and writes inside the repository; ${NOTHING_WRITTEN}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(root, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') throw new DpError(`${path} is a directory, where dp expects a file`, `move it aside, then run again; ${NOTHING_WRITTEN}`);
    if (code === 'EACCES') throw new DpError(`${path} cannot be read (permission denied)`, `make it readable, then run again; ${NOTHING_WRITTEN}`);
    if (code === 'ELOOP') throw new DpError(`${path} is a symbolic link that loops (it leads back to itself)`, `replace the link with a file, then run again; ${NOTHING_WRITTEN}`);
    throw error;
  }
  return bytes;
}

/** One file's text, or null when there is none. */
export function readRepositoryFile(root: string, path: string): string | null {
  const bytes = readRepositoryBytes(root, path);
  return bytes === null ? null : decodeText(bytes, path);
}

/** What the snapshot keeps of a file's bytes: its text, or for bytes that are not UTF-8 a mark of which bytes they were. */
/** How the snapshot marks bytes that are not UTF-8 (a NUL first: no text file dp decodes starts so and equals it). */
const NOT_UTF8 = '\0not UTF-8 ';

function snapshotValue(bytes: Buffer | null, path: string): string | null {
  if (bytes === null) return null;
  try {
    return decodeText(bytes, path);
  } catch {
    return `${NOT_UTF8}${createHash('sha256').update(bytes).digest('hex')}`;
  }
}

/** Read repository files from disk; with a snapshot, remember what each path held when first read. */
export function diskReader(root: string, snapshot?: Snapshot): Reader {
  return (path) => {
    const bytes = readRepositoryBytes(root, path);
    // Decoded once: the snapshot keeps the same text the run decides from.
    const value = snapshotValue(bytes, path);
    if (snapshot && !snapshot.has(path)) snapshot.set(path, value);
    if (value !== null && value.startsWith(NOT_UTF8)) decodeText(bytes!, path); // throws the refusal, with its line
    return value;
  };
}

/** Whether a file the run read is no longer what it read (another program is writing it). */
export function changedSince(root: string, snapshot: Snapshot): boolean {
  for (const [path, value] of snapshot) {
    try {
      if (snapshotValue(readRepositoryBytes(root, path), path) !== value) return true;
    } catch {
      return true;
    }
  }
  return false;
}
