import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { migrate } from '../../src/database/migrator.js';
import { PgDatabase } from '../../src/database/pg.driver.js';
import { PgliteDatabase } from '../../src/database/pglite.driver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    databaseUrl: string;
  }
}

/** The orchestrator's services, else the dev services (see infra/vitest.test-env.mjs). */
export const TEST_DATABASE_URL = inject('databaseUrl');
export const TEST_INFLUX_URL = inject('influxUrl');

/** A uniquely named database on the test PostgreSQL; `drop()` removes it. */
export async function createTestPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `server_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestDatabaseFactory {
  /** An empty database (no migrations applied). */
  open(): Promise<Database>;
  /** A second connection to the database last opened, as a second server instance would have. */
  openSecond(): Promise<Database>;
  /** Closes everything opened and drops the PostgreSQL databases. */
  cleanup(): Promise<void>;
}

function pgliteFactory(): TestDatabaseFactory {
  const opened: Database[] = [];
  let last: Database | undefined;
  return {
    async open() {
      last = await PgliteDatabase.open(); // in memory
      opened.push(last);
      return last;
    },
    // PGlite is single-process: a data dir has one owner, so "another instance" shares the handle.
    async openSecond() {
      if (!last) throw new Error('open() first');
      return last;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
    },
  };
}

function postgresFactory(): TestDatabaseFactory {
  const opened: Database[] = [];
  const drops: (() => Promise<void>)[] = [];
  let lastUrl: string | undefined;
  return {
    async open() {
      const created = await createTestPgDatabase();
      drops.push(created.drop);
      lastUrl = created.url;
      const db = await PgDatabase.open(created.url);
      opened.push(db);
      return db;
    },
    async openSecond() {
      if (!lastUrl) throw new Error('open() first');
      const db = await PgDatabase.open(lastUrl);
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close().catch(() => undefined)));
      for (const drop of drops) await drop();
    },
  };
}

/** Use with describe.each: the same test body against both drivers. */
export const DRIVERS: { driver: string; factory: () => TestDatabaseFactory }[] = [
  { driver: 'pglite', factory: pgliteFactory },
  { driver: 'postgresql', factory: postgresFactory },
];

export async function openMigrated(factory: TestDatabaseFactory): Promise<Database> {
  const db = await factory.open();
  await migrate(db);
  return db;
}
