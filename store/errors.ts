/** A store problem the user can fix (missing entry, bad tag, refused archive); the message says what to do. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}
