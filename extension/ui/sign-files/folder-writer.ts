/**
 * Signed files written into a folder the user chose (File System Access, Chromium), as they come: a
 * few at a time (each write waits mostly on the disk and the browser's file checks), a name already
 * in the folder — or written earlier by this writer — gets " (2)", " (3)"…: nothing is overwritten.
 * The Sign files page uses it for a folder chosen before signing (each file saved as soon as it is
 * signed) and for "Save all" afterwards. The first failure stops the writing and is what `done()`
 * rejects with; the files not written stay on the page for another way of saving.
 */
import { freeFileName } from '../../../shared/protocol/signed-file-names.js';

/** A signed file's bytes: the chosen file and what goes around it (a PDF's appended section, an attached CAdES's DER), or its own bytes. */
export interface FileToWrite {
  name: string;
  parts: BlobPart[];
}

/** Files written into the folder at a time. */
const WRITES_AT_ONCE = 8;

export interface FolderWriter {
  /** Queues a file; it is written under its name, or the first free " (n)" variant, when its turn comes. */
  add(file: FileToWrite): void;
  /** Every queued file written: how many; rejects with the first failure. */
  done(): Promise<number>;
}

export function folderWriter(folder: FileSystemDirectoryHandle): FolderWriter {
  const queue: FileToWrite[] = [];
  let written = 0;
  let running = 0;
  let failure: unknown;
  let idle: (() => void) | undefined;
  // The names already in the folder, read once before the first write.
  const taken = (async () => {
    const names = new Set<string>();
    for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.add(name);
    return names;
  })();

  const writeOne = async (file: FileToWrite): Promise<void> => {
    const names = await taken;
    const name = freeFileName(file.name, (candidate) => names.has(candidate));
    names.add(name);
    const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
    try {
      await writable.write(new Blob(file.parts)); // one write: each is a round trip to the browser
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => undefined); // nothing half-written is left under the name
      throw error;
    }
  };
  const pump = (): void => {
    while (running < WRITES_AT_ONCE && queue.length > 0 && failure === undefined) {
      const file = queue.shift()!;
      running += 1;
      writeOne(file).then(
        () => {
          written += 1;
          running -= 1;
          pump();
        },
        (error: unknown) => {
          failure ??= error;
          running -= 1;
          pump();
        },
      );
    }
    if (running === 0 && (queue.length === 0 || failure !== undefined)) idle?.();
  };
  return {
    add(file) {
      queue.push(file);
      pump();
    },
    done() {
      return new Promise<number>((resolve, reject) => {
        idle = () => (failure === undefined ? resolve(written) : reject(failure instanceof Error ? failure : new Error(String(failure))));
        pump();
      });
    },
  };
}
