/** How long a probe of a dependency's /readyz may take, and how long its answer is reused. */
const PROBE_TIMEOUT_MS = 1000;
const PROBE_REUSE_MS = 1000;

/**
 * Whether the dependencies served elsewhere answer their /readyz: a caller whose dependency is
 * unreachable is not ready either (its /readyz says which), so a load balancer sends its traffic
 * to replicas that can answer.
 */
export class DependencyHealth {
  private last: { at: number; unreachable: Promise<string[]> } | undefined;

  constructor(private readonly remote: ReadonlyMap<string, string>) {}

  /** The dependencies (name and URL) that did not answer their /readyz with 200; empty when all did, or there are none. */
  unreachable(): Promise<string[]> {
    if (this.remote.size === 0) return Promise.resolve([]);
    const now = Date.now();
    if (!this.last || now - this.last.at >= PROBE_REUSE_MS) this.last = { at: now, unreachable: this.probe() };
    return this.last.unreachable;
  }

  private async probe(): Promise<string[]> {
    const answers = await Promise.all([...this.remote].map(async ([name, url]) => {
      const response = await fetch(`${url.replace(/\/+$/, "")}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).catch(() => undefined);
      await response?.body?.cancel();
      return response?.status === 200 ? undefined : `${name} (${url})`;
    }));
    return answers.filter((answer) => answer !== undefined);
  }
}

