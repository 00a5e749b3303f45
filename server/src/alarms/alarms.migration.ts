import type { Migration } from '../database/migrations.js';

export const ALARMS_MIGRATION: Migration = {
  version: 4,
  name: 'alarms',
  sql: `
    CREATE TABLE alarms (
      id               bigserial PRIMARY KEY,
      subject_id       text NOT NULL,          -- device id, or cabinet:<id>
      device_kind      text,
      cause            text NOT NULL,
      severity         text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
      status           text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
      zone             text,
      contractor       text,
      lat              double precision NOT NULL,
      lon              double precision NOT NULL,
      message          text NOT NULL,
      opened_at        timestamptz NOT NULL,
      acknowledged_at  timestamptz,
      acknowledged_by  text,
      resolved_at      timestamptz,
      resolved_by      text,
      resolution       text,
      escalations      integer NOT NULL DEFAULT 0,
      last_escalated_at timestamptz,
      job_id           bigint,
      details          jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    -- One unresolved alarm per (subject, cause): the database refuses a second, also across
    -- server restarts and racing readings.
    CREATE UNIQUE INDEX alarms_one_open_idx ON alarms (subject_id, cause) WHERE status <> 'resolved';
    CREATE INDEX alarms_status_idx ON alarms (status, opened_at);
    CREATE INDEX alarms_zone_idx ON alarms (zone);
    CREATE TABLE alarm_events (
      id        bigserial PRIMARY KEY,
      alarm_id  bigint NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
      at        timestamptz NOT NULL,
      by_user   text NOT NULL,
      action    text NOT NULL,
      note      text,
      data      jsonb
    );
    CREATE INDEX alarm_events_alarm_idx ON alarm_events (alarm_id, id);
  `,
};
