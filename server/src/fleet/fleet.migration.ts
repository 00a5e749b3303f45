import type { Migration } from '../database/migrations.js';

export const FLEET_MIGRATION: Migration = {
  version: 7,
  name: 'fleet auto-assign settings, custody uniqueness',
  sql: `
    -- Per skill: is the best proposal assigned on its own? A skill without a row is on (the default).
    CREATE TABLE fleet_auto_assign (
      skill       text PRIMARY KEY,
      enabled     boolean NOT NULL,
      updated_at  timestamptz NOT NULL,
      updated_by  text NOT NULL
    );
    -- A pump is recorded once, however often its readings are replayed (QoS 1 redelivery, restart,
    -- several server instances), and a tanker holds one open custody per source tank.
    CREATE UNIQUE INDEX custody_pump_idx ON custody (vehicle_device, source_device, pumped_at);
    CREATE UNIQUE INDEX custody_open_pair_idx ON custody (vehicle_device, source_device) WHERE disposed_at IS NULL;
    CREATE INDEX custody_deadline_idx ON custody (deadline_at) WHERE disposed_at IS NULL AND breached_at IS NULL;
  `,
};

/** A truck's crew: operators who ride it see and progress the vehicle's jobs in the crew view. */
export const VEHICLE_MEMBERS_MIGRATION: Migration = {
  version: 11,
  name: 'vehicle crew members',
  sql: `ALTER TABLE vehicles ADD COLUMN members text[] NOT NULL DEFAULT '{}';`,
};
