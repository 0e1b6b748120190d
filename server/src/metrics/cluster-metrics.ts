import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * `/metrics` of the whole box under `--workers N`. The shared port hands a scrape to any one worker, so that worker
 * asks the primary, which collects every worker's registry over the cluster's IPC channel (prom-client's
 * AggregatorRegistry) and answers with the aggregate: counters and histograms summed, gauges as each declares
 * (summed by default; prom-client's event-loop gauges averaged, the last-sweep time the latest).
 */
const ASK = 'seatmap:metrics?';
const ANSWER = 'seatmap:metrics';
/** prom-client gives up on a worker that does not answer after 5 s; this covers that and the IPC hops. */
const TIMEOUT_MS = 8000;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  body?: string;
  error?: string;
}

const isAsk = (m: unknown): m is Ask => (m as Ask | null)?.type === ASK;
const isAnswer = (m: unknown): m is Answer => (m as Answer | null)?.type === ANSWER;

/** In the cluster primary: answers each worker's request for the aggregated metrics of every worker. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isAsk(message)) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ body }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

/**
 * In a worker: `registry` becomes what this worker gives the primary, and the returned scrape asks the primary for
 * the whole box. Rejects when the primary or a worker does not answer (the scrape then fails, rather than passing
 * one worker's counters off as the box's).
 */
export function clusterScrape(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one adds prom-client's worker-side listener, which answers the primary's requests.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (body: string) => void; reject: (err: Error) => void }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isAnswer(message)) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.body !== undefined) waiting?.resolve(message.body);
    else waiting?.reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('cluster metrics: the primary did not answer'));
      }, TIMEOUT_MS);
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      process.send?.({ type: ASK, id } satisfies Ask);
    });
}
