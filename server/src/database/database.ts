/**
 * The one database interface the repositories see. Two drivers implement it: embedded PGlite
 * (default) and node-postgres (when DATABASE_URL is set). Both run the same SQL.
 */
export type SqlParam = string | number | boolean | null | Date | readonly unknown[];

export interface Queryable {
  /** One statement with `$n` parameters; returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly driver: 'pglite' | 'pg';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding a session-level lock that other processes sharing the database also
   * respect (pg: `pg_advisory_lock`; PGlite: one process owns the data dir, an in-process mutex).
   */
  withExclusiveLock<T>(key: number, fn: (conn: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Nest injection token for the Database. */
export const DATABASE = Symbol('DATABASE');

/** Advisory-lock keys (one namespace for the whole server). */
export const LOCK_KEYS = {
  migrations: 7_301_001,
  /** Serialises revision bumps so revisions commit in order (see devices.repository.ts). */
  deviceRevision: 7_301_002,
} as const;
