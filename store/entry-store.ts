import { writeArchive } from "./archive.js";
import { VersionedDirectories, type StoredEntry } from "./versioned-dirs.js";

/** What the bento and model stores share: staging, tags, listing, deleting and export. */
export abstract class EntryStore<E extends StoredEntry> {
  protected readonly entries: VersionedDirectories<E>;

  protected constructor(
    /** `<home>/bentos` or `<home>/models`. */
    readonly root: string,
    kind: string,
    readEntry: (dir: string, name: string, version: string) => E,
    listCommand: string,
  ) {
    this.entries = new VersionedDirectories(root, kind, readEntry, listCommand);
  }

  /** A fresh empty directory on the store's file system, so adding an entry is one rename. */
  stagingDir(): string {
    return this.entries.stagingDir();
  }

  /** Removes a staging directory that will not be added. */
  discardStaging(staging: string): void {
    this.entries.discard(staging);
  }

  /** `name`, `name:latest` (newest by creation time) or `name:version`; StoreError when missing. */
  get(tag: string): E {
    return this.entries.get(tag);
  }

  /** Every entry (or every version of `name`), by name, then oldest first. */
  list(name?: string): E[] {
    return this.entries.list(name);
  }

  delete(tag: string): E {
    return this.entries.delete(tag);
  }

  /** Writes the entry's directory as a .tar.gz (its metadata file at the archive's root). */
  exportTo(tag: string, file: string): E {
    const entry = this.get(tag);
    writeArchive(entry.dir, file);
    return entry;
  }
}
