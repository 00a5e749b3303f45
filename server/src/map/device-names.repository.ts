import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** The registry's display names (the in-memory DeviceDirectory holds everything else the map needs). */
@Injectable()
export class DeviceNamesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Every device's name, one query. */
  async all(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; name: string }>('SELECT id, name FROM devices');
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
