import type { Migration } from '../database/migrations.js';

export const RULE_CONFIG_MIGRATION: Migration = {
  version: 6,
  name: 'rule thresholds and scheduler leases',
  sql: `
    -- Threshold overrides per device kind, zone or device. Every change is a new row (versioned):
    -- the effective set is the latest version per (kind, scope, target).
    CREATE TABLE rule_overrides (
      id          bigserial PRIMARY KEY,
      kind        text NOT NULL,
      scope       text NOT NULL CHECK (scope IN ('kind', 'zone', 'device')),
      target      text NOT NULL DEFAULT '',  -- zone id / device id; '' for scope kind
      version     integer NOT NULL,
      params      jsonb NOT NULL,
      created_by  text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, scope, target, version)
    );
    -- Scheduled work runs once across server instances: the holder of an unexpired lease runs it.
    CREATE TABLE leases (
      name        text PRIMARY KEY,
      holder      text NOT NULL,
      expires_at  timestamptz NOT NULL
    );
  `,
};
