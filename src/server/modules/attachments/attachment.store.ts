import { createHash, randomBytes } from 'node:crypto';
import { constants, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where attachment bytes live, outside the database. Keys are random (never the user's file name).
 * A stored file without a database row is harmless (nobody can reach it); see sweepOrphans in the
 * docs for how such files would be cleaned up.
 */
export interface AttachmentStore {
  /** Stores the bytes durably under a new random key. */
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  /** The bytes as a stream (the file is opened before this resolves, so a missing one fails here). */
  open(key: string): Promise<ReadStream>;
  /** Removes the bytes; a missing key is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{32}$/;

/**
 * Files on the local disk: `<dir>/<ab>/<key>` (two-character fan-out). Written to `<dir>/tmp/`, fsync'd,
 * renamed into place and the directory fsync'd, so a crash leaves either the whole file or a temp file
 * (temp files and files without a row are what an orphan sweep would remove: older than a day, no row).
 */
export function localDiskStore(dir: string): AttachmentStore {
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error('invalid attachment key');
    return join(dir, key.slice(0, 2), key);
  };
  const fsyncDir = async (d: string) => {
    const h = await open(d, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  };
  return {
    async put(bytes) {
      const key = randomBytes(16).toString('hex');
      const tmpDir = join(dir, 'tmp');
      const finalDir = join(dir, key.slice(0, 2));
      await mkdir(tmpDir, { recursive: true });
      await mkdir(finalDir, { recursive: true });
      const tmp = join(tmpDir, `${key}.part`);
      const h = await open(tmp, 'wx', 0o600);
      try {
        await h.writeFile(bytes);
        await h.sync();
      } catch (err) {
        await h.close().catch(() => {});
        await rm(tmp, { force: true });
        throw err;
      }
      await h.close();
      await rename(tmp, pathOf(key));
      await fsyncDir(finalDir);
      return { key, sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    async open(key) {
      const h = await open(pathOf(key), 'r');
      return h.createReadStream();
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
