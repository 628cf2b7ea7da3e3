import type { Worker } from "node:cluster";
import type { PrimaryMessage, WorkerMessage } from "./messages.js";

// A channel closes when its process dies; the exit event says so, so a failed send needs no handling.
const ignore = () => undefined;

/** Sends to a worker unless its channel is already closed. */
export function sendTo(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message, undefined, ignore);
}

/** Sends to the primary unless the channel is already closed. */
export function sendToPrimary(message: WorkerMessage): void {
  if (process.connected) process.send?.(message, undefined, undefined, ignore);
}
