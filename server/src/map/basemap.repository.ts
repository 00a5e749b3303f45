import { Inject, Injectable } from '@nestjs/common';
import type { Basemap } from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

/** All basemap I/O: a single row (id = 1) replaced whole. */
@Injectable()
export class BasemapRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async save(basemap: Basemap, updatedAt: number, updatedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO basemap (id, geojson, updated_at, updated_by) VALUES (1, $1::jsonb, $2, $3)
       ON CONFLICT (id) DO UPDATE SET geojson = EXCLUDED.geojson, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [JSON.stringify(basemap), new Date(updatedAt), updatedBy],
    );
  }

  /**
   * The stored base map as JSON text (it goes to the client as is: a multi-MB map is not parsed
   * and re-serialised per request), or null when none was uploaded.
   */
  async loadJson(): Promise<string | null> {
    const rows = await this.db.query<{ geojson: string }>('SELECT geojson::text AS geojson FROM basemap WHERE id = 1');
    return rows[0]?.geojson ?? null;
  }
}
