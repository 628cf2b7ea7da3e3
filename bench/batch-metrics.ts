// What the batch dispatcher reports on /metrics (runtime/metrics.ts), read from the
// Prometheus text: batches dispatched, items in them, queue wait, calls shed.

export interface BatchCounters {
  batches: number;
  items: number;
  queueWaitSeconds: number;
  shed: number;
}

export async function readBatchCounters(baseUrl: string, api: string): Promise<BatchCounters> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const value = (name: string) => {
    for (const match of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, "gm"))) {
      if (match[1]!.split(",").includes(`api="${api}"`)) return Number(match[2]);
    }
    return 0;
  };
  return {
    batches: value("bentoc_batch_size_count"),
    items: value("bentoc_batch_size_sum"),
    queueWaitSeconds: value("bentoc_batch_queue_wait_seconds_sum"),
    shed: value("bentoc_batch_shed_total"),
  };
}

export function counterDelta(before: BatchCounters, after: BatchCounters): BatchCounters {
  return {
    batches: after.batches - before.batches,
    items: after.items - before.items,
    queueWaitSeconds: after.queueWaitSeconds - before.queueWaitSeconds,
    shed: after.shed - before.shed,
  };
}
