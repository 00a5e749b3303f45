import pg from 'pg';
import type { Database, Queryable, SqlParam } from './database.js';

function wrap(conn: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      const result = await conn.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql: string) {
      // Without parameters node-postgres uses the simple protocol, which allows several statements.
      await conn.query(sql);
    },
  };
}

/** A real PostgreSQL server through a node-postgres pool (DATABASE_URL). */
export class PgDatabase implements Database {
  readonly driver = 'pg' as const;
  private readonly root: Queryable;

  private constructor(private readonly pool: pg.Pool) {
    this.root = wrap(pool);
  }

  static async open(connectionString: string, max = 10): Promise<PgDatabase> {
    const pool = new pg.Pool({ connectionString, max });
    // An idle client losing its connection emits on the pool; without a listener that kills the process.
    pool.on('error', () => undefined);
    await pool.query('SELECT 1'); // fail fast at start-up with the driver's message
    return new PgDatabase(pool);
  }

  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.root.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.root.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async withExclusiveLock<T>(key: number, fn: (conn: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn(wrap(client));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
