import { join, resolve } from 'node:path';
import type { ServerConfig } from '../config/server.config.js';
import type { Database } from './database.js';
import { migrate } from './migrator.js';
import { PgDatabase } from './pg.driver.js';
import { PgliteDatabase } from './pglite.driver.js';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export async function openDatabase(config: Pick<ServerConfig, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  const db = config.DATABASE_URL
    ? await PgDatabase.open(config.DATABASE_URL)
    : await PgliteDatabase.open(join(resolve(config.DATA_DIR), 'pglite'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
