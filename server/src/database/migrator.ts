import { LOCK_KEYS, type Database } from './database.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/**
 * Applies pending migrations under an exclusive lock, so two server instances starting together
 * do not race: the second waits, then finds nothing left to do. Each migration and its
 * `schema_migrations` row commit together. Returns the versions this call applied.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.withExclusiveLock(LOCK_KEYS.migrations, async (conn) => {
    await conn.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await conn.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await conn.exec('BEGIN');
      try {
        await conn.exec(migration.sql);
        await conn.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await conn.exec('COMMIT');
      } catch (err) {
        await conn.exec('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`);
      }
      applied.push(migration.version);
    }
    return applied;
  });
}
