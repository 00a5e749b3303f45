import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/**
 * The units an operator works in: crews whose members include them and trucks they ride, as
 * `crew:<id>` / `vehicle:<id>` keys, so a crew member's socket carries only their jobs (the same
 * rule as the REST job list).
 */
@Injectable()
export class CrewMembershipRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async unitsOf(username: string): Promise<Set<string>> {
    const rows = await this.db.query<{ key: string }>(
      `SELECT 'crew:' || id AS key FROM crews WHERE $1 = ANY(members)
       UNION ALL SELECT 'vehicle:' || id AS key FROM vehicles WHERE $1 = ANY(members)`,
      [username],
    );
    return new Set(rows.map((r) => r.key));
  }
}
