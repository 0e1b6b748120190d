import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import type { Metrics } from './registry.ts';

const KINDS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
  RawNode: 'raw',
};

/**
 * Times every query from compile to result into `seatmap_db_query_duration_seconds`, keyed by Kysely's
 * per-query id (a WeakMap, so queries that fail and never reach `transformResult` leave nothing behind).
 */
export function dbTimingPlugin(metrics: Pick<Metrics, 'dbDuration'>): KyselyPlugin {
  const started = new WeakMap<object, { kind: string; at: bigint }>();
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs) {
      started.set(queryId, { kind: KINDS[node.kind] ?? 'other', at: process.hrtime.bigint() });
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const start = started.get(queryId);
      if (start) {
        started.delete(queryId);
        metrics.dbDuration.observe({ kind: start.kind }, Number(process.hrtime.bigint() - start.at) / 1e9);
      }
      return result;
    },
  };
}
