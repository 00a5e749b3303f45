import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/**
 * Leases on the `leases` table: a task runs on the instance holding an unexpired lease. Expiry
 * uses the database's clock, so instances with skewed clocks agree on who holds it.
 */
@Injectable()
export class LeaseRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Takes or renews the lease for `ms`; true when `holder` holds it now. */
  async acquire(name: string, holder: string, ms: number): Promise<boolean> {
    const rows = await this.db.query<{ holder: string }>(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.expires_at < now() OR leases.holder = EXCLUDED.holder
       RETURNING holder`,
      [name, holder, ms],
    );
    return rows[0]?.holder === holder;
  }

  /** Gives a lease up (shutdown), so another instance need not wait for it to expire. */
  async release(name: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
