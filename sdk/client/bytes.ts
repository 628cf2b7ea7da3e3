// Bytes without Node's Buffer, so the client runs in browsers too.

const CHUNK = 0x8000;

/** Base64 text of bytes (the form bytes take inside JSON). */
export function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

/** The bytes of base64 text. */
export function bytesOfBase64(text: string) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** A Blob holding bytes, for a multipart part. The bytes are copied: a Blob may not share a SharedArrayBuffer. */
export function blobOf(bytes: Uint8Array, type = "application/octet-stream"): Blob {
  return new Blob([new Uint8Array(bytes)], { type });
}
