// Worker processes: one node:cluster primary supervising N workers behind one port.
export { runMain, type LoadServer, type MainConfig } from "./run-main.js";
export { DEFAULT_RESTART_POLICY, RestartBackoff, type RestartDecision, type RestartPolicy } from "./restart-backoff.js";
export { WORKER_COUNT_ENV, WORKER_INDEX_ENV } from "./primary.js";
