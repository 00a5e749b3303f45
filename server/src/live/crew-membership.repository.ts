import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** Which crews an operator belongs to (crews.members), so a crew sees only its own jobs. */
@Injectable()
export class CrewMembershipRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async crewsOf(username: string): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM crews WHERE $1 = ANY(members)', [username]);
    return new Set(rows.map((r) => r.id));
  }
}
