// Data upkeep: `npm run retention -- [--dry-run] [--archive-after-days 30] [--cancelled-after-days 30]
// [--idempotency-hours 24] [--batch-size 1000] [--json]` against the configured database (DATABASE_URL, or PGlite
// under DATA_DIR — stop the server first in embedded mode: PGlite is one process's). Safe on a live Postgres:
// batched statements that skip locked rows. See README "Operations" and server/src/db/retention.ts.
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/src/config.ts';
import { createDatabase } from '../server/src/db/connect.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { DEFAULT_RETENTION, runRetention } from '../server/src/db/retention.ts';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    'archive-after-days': { type: 'string', default: String(DEFAULT_RETENTION.archiveAfterDays) },
    'cancelled-after-days': { type: 'string', default: String(DEFAULT_RETENTION.cancelledAfterDays) },
    'idempotency-hours': { type: 'string', default: String(DEFAULT_RETENTION.idempotencyHours) },
    'batch-size': { type: 'string', default: String(DEFAULT_RETENTION.batchSize) },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm run retention -- [--dry-run] [--archive-after-days N] [--cancelled-after-days N] [--idempotency-hours N] [--batch-size N] [--json]',
  );
  process.exit(0);
}

function positive(name: string, value: string | undefined, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min} (got ${value})`);
    process.exit(2);
  }
  return n;
}
const options = {
  now: new Date(),
  dryRun: values['dry-run'] ?? false,
  archiveAfterDays: positive('archive-after-days', values['archive-after-days'], 1),
  cancelledAfterDays: positive('cancelled-after-days', values['cancelled-after-days'], 1),
  idempotencyHours: positive('idempotency-hours', values['idempotency-hours'], 1),
  batchSize: positive('batch-size', values['batch-size'], 1),
};

const handle = await createDatabase(loadConfig());
try {
  await migrateToLatest(handle.db);
  const started = performance.now();
  const report = await runRetention(handle.db, options);
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    console.log(JSON.stringify({ ...report, seconds }));
  } else {
    const verb = report.dryRun ? 'would archive' : 'archived';
    console.log(`Retention on ${handle.kind} (${handle.location})${report.dryRun ? ', dry run' : ''}:`);
    console.log(
      `  ${verb} ${report.schedules} performance(s) that started more than ${options.archiveAfterDays} days ago, ` +
        `with ${report.seats} seat(s) and ${report.reservations} reservation(s)`,
    );
    console.log(
      `  ${verb} ${report.cancelledReservations} reservation(s) cancelled more than ${options.cancelledAfterDays} days ago`,
    );
    console.log(
      `  ${report.dryRun ? 'would clear' : 'cleared'} ${report.idempotencyKeys} idempotency key(s) older than ${options.idempotencyHours} h`,
    );
    console.log(`  in ${seconds.toFixed(1)} s`);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await handle.close();
}
