import type { Migration } from '../database/migrations.js';

/**
 * Job photos live in the database (bytea), not under DATA_DIR: several server processes may share
 * one PostgreSQL while each has its own disk, a photo is proof of work and must survive with the
 * job it proves (same backup, same retention), and the 5 MB cap keeps rows modest.
 */
export const JOB_PHOTOS_MIGRATION: Migration = {
  version: 10,
  name: 'job photos',
  sql: `
    CREATE TABLE job_photos (
      id            uuid PRIMARY KEY,
      job_id        bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
      size_bytes    integer NOT NULL,
      data          bytea NOT NULL,
      created_at    timestamptz NOT NULL,
      created_by    text NOT NULL
    );
    CREATE INDEX job_photos_job_idx ON job_photos (job_id);
  `,
};
