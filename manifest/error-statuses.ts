// Which statuses a service's method may answer with (a ServiceError's), and which the server
// keeps for itself: the compiler checks literal ones, the runtime every one thrown.

/**
 * The 4xx statuses the server answers by itself, never a method: the method, media types and
 * sizes of requests, timeouts, upgrades. 401 and 403 are the service's to use.
 */
const SERVER_OWNED_4XX: ReadonlySet<number> = new Set([405, 406, 407, 408, 411, 413, 414, 415, 417, 421, 426, 431]);
/** Those statuses, as an error message lists them. */
export const SERVER_OWNED_SUMMARY = [...SERVER_OWNED_4XX].join(", ");

/** Whether a method may throw a ServiceError with this status: a 4xx the server does not own, 500 or 503. */
export function isThrowableStatus(status: number): boolean {
  if (!Number.isInteger(status)) return false;
  if (status >= 400 && status <= 499) return !SERVER_OWNED_4XX.has(status);
  return status === 500 || status === 503;
}
