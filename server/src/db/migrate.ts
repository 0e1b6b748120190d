import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResult, Migrator } from 'kysely';

/** The repository's migrations/ folder, resolved from this file so it works from any working directory. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Kysely's FileMigrationProvider, except that the dynamic import() runs in this module. Kysely's own copy
 * lives in node_modules, which vitest does not transform, so Node would refuse the `.ts` migration files there.
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'));
    const migrations: Record<string, Migration> = {};
    for (const file of files.sort()) {
      const mod = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
      migrations[file.replace(/\.[^.]+$/, '')] = { up: mod.up, down: mod.down };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  constructor(
    readonly results: MigrationResult[],
    cause: unknown,
  ) {
    super(`Migration failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/**
 * Applies every pending migration (idempotent; concurrent callers are serialised by Kysely's migration lock).
 * Returns one result per migration it ran; throws MigrationError on failure.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely on purpose.
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(folder) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) throw new MigrationError(results, error);
  return results;
}
