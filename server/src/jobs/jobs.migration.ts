import type { Migration } from '../database/migrations.js';

export const JOBS_MIGRATION: Migration = {
  version: 5,
  name: 'jobs, vehicles, crews, disposal sites',
  sql: `
    CREATE TABLE vehicles (
      id           text PRIMARY KEY,
      name         text NOT NULL,
      skill        text NOT NULL,
      device_id    text NOT NULL UNIQUE,
      capacity_kg  double precision NOT NULL,
      shift_start  text NOT NULL,
      shift_end    text NOT NULL,
      contractor   text,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE crews (
      id             text PRIMARY KEY,
      name           text NOT NULL,
      skill          text NOT NULL,
      members        text[] NOT NULL DEFAULT '{}',
      capacity_jobs  integer NOT NULL,
      shift_start    text NOT NULL,
      shift_end      text NOT NULL,
      base_lat       double precision NOT NULL,
      base_lon       double precision NOT NULL,
      contractor     text,
      pos_lat        double precision,
      pos_lon        double precision,
      pos_at         timestamptz,
      created_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE disposal_sites (
      id        text PRIMARY KEY,
      name      text NOT NULL,
      lat       double precision NOT NULL,
      lon       double precision NOT NULL,
      radius_m  double precision NOT NULL
    );
    CREATE TABLE jobs (
      id            bigserial PRIMARY KEY,
      type          text NOT NULL,
      cause         text NOT NULL,
      subject_id    text NOT NULL,
      device_kind   text,
      zone          text,
      contractor    text,
      lat           double precision NOT NULL,
      lon           double precision NOT NULL,
      priority      smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
      status        text NOT NULL CHECK (status IN ('open', 'assigned', 'en_route', 'on_site', 'done', 'cancelled')),
      message       text NOT NULL,
      details       jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at    timestamptz NOT NULL,
      due_at        timestamptz NOT NULL,
      updated_at    timestamptz NOT NULL,
      completed_at  timestamptz,
      unit_type     text CHECK (unit_type IN ('vehicle', 'crew')),
      unit_id       text,
      proposal      jsonb,
      unsafe        boolean NOT NULL DEFAULT false,
      flags         text[] NOT NULL DEFAULT '{}',
      proof         jsonb,
      alarm_id      bigint
    );
    -- One open job per (subject, type): a job is never created twice for the same cause.
    CREATE UNIQUE INDEX jobs_one_open_idx ON jobs (subject_id, type) WHERE status IN ('open', 'assigned', 'en_route', 'on_site');
    CREATE INDEX jobs_status_idx ON jobs (status, due_at);
    CREATE INDEX jobs_unit_idx ON jobs (unit_id) WHERE unit_id IS NOT NULL;
    CREATE INDEX jobs_zone_idx ON jobs (zone);
    CREATE TABLE job_events (
      id       bigserial PRIMARY KEY,
      job_id   bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      at       timestamptz NOT NULL,
      by_user  text NOT NULL,
      action   text NOT NULL,
      note     text,
      data     jsonb
    );
    CREATE INDEX job_events_job_idx ON job_events (job_id, id);
    -- Septic chain of custody: a tanker that pumped a tank carries its load until it stops at a
    -- disposal site; open custodies past their deadline raise custody-breach.
    CREATE TABLE custody (
      id               bigserial PRIMARY KEY,
      vehicle_device   text NOT NULL,
      source_device    text NOT NULL,
      job_id           bigint,
      pumped_at        timestamptz NOT NULL,
      deadline_at      timestamptz NOT NULL,
      disposed_at      timestamptz,
      disposal_site    text,
      breached_at      timestamptz
    );
    CREATE INDEX custody_open_idx ON custody (vehicle_device) WHERE disposed_at IS NULL;
  `,
};
