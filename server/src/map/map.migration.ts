import type { Migration } from '../database/migrations.js';

export const MAP_MIGRATION: Migration = {
  version: 9,
  name: 'dashboard base map',
  sql: `
    -- The city's base map (GeoJSON FeatureCollection, contracts basemapSchema): one row, replaced whole.
    CREATE TABLE basemap (
      id          smallint PRIMARY KEY CHECK (id = 1),
      geojson     jsonb NOT NULL,
      updated_at  timestamptz NOT NULL,
      updated_by  text NOT NULL
    );
  `,
};
