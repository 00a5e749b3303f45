import { basemapSchema, type Basemap } from '@sanitation/contracts';
import type { Queryable } from '../../database/database.js';

/** Where the street graph reads the base map from, and how it tells that the map was replaced. */
export interface BasemapSource {
  /** Changes whenever the base map is replaced; null when there is none. */
  stamp(): Promise<string | null>;
  load(): Promise<Basemap | null>;
}

/**
 * Reads the `basemap` table the map module writes on `PUT /api/map/basemap` (read-only here: the
 * map module stays unaware of routing). `updated_at` is the change stamp.
 */
export class DbBasemapSource implements BasemapSource {
  constructor(private readonly db: Queryable) {}

  async stamp(): Promise<string | null> {
    const rows = await this.db.query<{ stamp: string }>(`SELECT (extract(epoch FROM updated_at) * 1000)::bigint::text AS stamp FROM basemap WHERE id = 1`);
    return rows[0]?.stamp ?? null;
  }

  async load(): Promise<Basemap | null> {
    const rows = await this.db.query<{ geojson: string }>('SELECT geojson::text AS geojson FROM basemap WHERE id = 1');
    const json = rows[0]?.geojson;
    if (json === undefined) return null;
    // Validated on upload; checked again because the graph trusts its shape.
    const parsed = basemapSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }
}
