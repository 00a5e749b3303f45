import type { Migration } from '../database/migrations.js';

export const COMMANDS_MIGRATION: Migration = {
  version: 8,
  name: 'device commands',
  sql: `
    -- One row per command sent to a device's cmd topic; the device's cmd/ack settles it.
    CREATE TABLE device_commands (
      cmd_id        text PRIMARY KEY,
      seq           bigserial NOT NULL,
      device_id     text NOT NULL REFERENCES devices (id),
      action        text NOT NULL CHECK (action IN ('on', 'off', 'dim', 'ping')),
      dim_pct       double precision,
      status        text NOT NULL CHECK (status IN ('sent', 'acked', 'failed', 'timeout')),
      requested_by  text NOT NULL,
      sent_at       timestamptz NOT NULL,             -- server clock (possibly simulated)
      deadline_at   timestamptz NOT NULL,             -- wall clock: no ack by then means 'timeout'
      acked_at      timestamptz,                      -- server clock when the ack arrived
      device_ts     bigint,                           -- the ack's own ts (device clock, epoch ms)
      error         text
    );
    CREATE INDEX device_commands_device_idx ON device_commands (device_id, sent_at DESC, seq DESC);
    CREATE INDEX device_commands_pending_idx ON device_commands (deadline_at) WHERE status = 'sent';
  `,
};
