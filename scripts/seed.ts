// Migrates the configured database, then loads the demo concerts if it has none.
import { seedDemoData } from '../server/src/catalog/demo-data.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDatabase } from '../server/src/db/connect.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';

const config = loadConfig();
const handle = await createDatabase(config);
console.log(`Seeding ${handle.kind} database at ${handle.location}`);
try {
  const migrations = await migrateToLatest(handle.db);
  console.log(`Migrations applied: ${migrations.map((m) => m.migrationName).join(', ') || 'none (up to date)'}`);
  const started = Date.now();
  const result = await seedDemoData(handle.db, { now: new Date() });
  if (result.seeded) {
    console.log(
      `Loaded ${result.concerts} concerts, ${result.schedules} schedules, ${result.seats} seats in ${Date.now() - started} ms.`,
    );
  } else {
    console.log('The database already has concerts; demo data not loaded.');
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await handle.close();
}
