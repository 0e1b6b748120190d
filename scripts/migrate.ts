// Applies pending migrations to the configured database (DATABASE_URL, or PGlite under DATA_DIR).
import { loadConfig } from '../server/src/config.ts';
import { createDatabase } from '../server/src/db/connect.ts';
import { MigrationError, migrateToLatest } from '../server/src/db/migrate.ts';

const config = loadConfig();
const handle = await createDatabase(config);
console.log(`Migrating ${handle.kind} database at ${handle.location}`);
try {
  const results = await migrateToLatest(handle.db);
  for (const r of results) console.log(`  ${r.status === 'Success' ? '✓' : '✗'} ${r.migrationName} (${r.status})`);
  console.log(results.length === 0 ? 'Already up to date.' : `Applied ${results.length} migration(s).`);
} catch (err) {
  if (err instanceof MigrationError) {
    for (const r of err.results)
      console.error(`  ${r.status === 'Success' ? '✓' : '✗'} ${r.migrationName} (${r.status})`);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await handle.close();
}
