import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, SqlParam } from './database.js';

function wrap(conn: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      const result = await conn.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
  };
}

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined = in memory (tests). PGlite has a single
 * connection and serialises queries itself; the mutex only orders our multi-step critical sections.
 */
export class PgliteDatabase implements Database {
  readonly driver = 'pglite' as const;
  private lockChain: Promise<unknown> = Promise.resolve();
  private readonly root: Queryable;

  private constructor(private readonly pg: PGlite) {
    this.root = wrap(pg);
  }

  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create(dataDir);
    return new PgliteDatabase(pg);
  }

  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.root.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.root.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(wrap(tx)));
  }

  withExclusiveLock<T>(_key: number, fn: (conn: Queryable) => Promise<T>): Promise<T> {
    const run = this.lockChain.then(() => fn(this.root));
    this.lockChain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}
