import { ALARMS_MIGRATION } from '../alarms/alarms.migration.js';
import { COMMANDS_MIGRATION } from '../commands/commands.migration.js';
import { FLEET_MIGRATION, VEHICLE_MEMBERS_MIGRATION } from '../fleet/fleet.migration.js';
import { JOB_PHOTOS_MIGRATION } from '../jobs/job-photos.migration.js';
import { JOBS_MIGRATION } from '../jobs/jobs.migration.js';
import { MAP_MIGRATION } from '../map/map.migration.js';
import { ROUTE_PLANS_MIGRATION } from '../routing/plans/plans.migration.js';
import { RULE_CONFIG_MIGRATION } from '../rule-config/rule-config.migration.js';
import { ZONES_MIGRATION } from '../zones/zones.migration.js';

/**
 * Ordered schema migrations. Append only: never edit one that has shipped, add the next number.
 * The same SQL runs on PGlite and PostgreSQL.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'devices',
    sql: `
      -- Bumped on insert, revoke and secret rotation; the gateways' credential sync reads "revision > cursor".
      CREATE SEQUENCE device_revision_seq;
      CREATE TABLE devices (
        id            text PRIMARY KEY,
        kind          text NOT NULL CHECK (kind IN ('bin', 'toilet', 'septic', 'streetlight', 'truck')),
        name          text NOT NULL,
        lat           double precision NOT NULL,
        lon           double precision NOT NULL,
        zone          text,
        attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
        secret_hash   text NOT NULL,
        status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz,
        revision      bigint NOT NULL DEFAULT nextval('device_revision_seq')
      );
      CREATE UNIQUE INDEX devices_revision_idx ON devices (revision);
      CREATE INDEX devices_kind_idx ON devices (kind);
      CREATE INDEX devices_zone_idx ON devices (zone);
    `,
  },
  {
    version: 2,
    name: 'operators',
    sql: `
      CREATE TABLE operators (
        username       text PRIMARY KEY,
        password_hash  text NOT NULL,
        role           text NOT NULL CHECK (role IN ('admin', 'dispatcher', 'crew', 'viewer')),
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      -- Bearer tokens are stored as SHA-256 hashes, so a database dump does not hand out sessions.
      CREATE TABLE operator_tokens (
        token_hash  text PRIMARY KEY,
        username    text NOT NULL REFERENCES operators (username) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX operator_tokens_expires_idx ON operator_tokens (expires_at);
    `,
  },
  ZONES_MIGRATION,
  ALARMS_MIGRATION,
  JOBS_MIGRATION,
  RULE_CONFIG_MIGRATION,
  FLEET_MIGRATION,
  COMMANDS_MIGRATION,
  MAP_MIGRATION,
  JOB_PHOTOS_MIGRATION,
  VEHICLE_MEMBERS_MIGRATION,
  ROUTE_PLANS_MIGRATION,
];
