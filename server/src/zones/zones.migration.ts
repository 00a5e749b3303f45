import type { Migration } from '../database/migrations.js';

export const ZONES_MIGRATION: Migration = {
  version: 3,
  name: 'zones and contractors',
  sql: `
    CREATE TABLE contractors (
      id          text PRIMARY KEY,
      name        text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now()
    );
    -- Grid zones (网格): a GeoJSON polygon each, its responsible person (街长/路长) and contractor.
    CREATE TABLE zones (
      id           text PRIMARY KEY,
      name         text NOT NULL,
      responsible  text,
      contractor   text REFERENCES contractors (id),
      geometry     jsonb NOT NULL,
      -- Bounding box for a quick reject before the point-in-polygon test.
      min_lon      double precision NOT NULL,
      min_lat      double precision NOT NULL,
      max_lon      double precision NOT NULL,
      max_lat      double precision NOT NULL,
      updated_at   timestamptz NOT NULL DEFAULT now()
    );
  `,
};
