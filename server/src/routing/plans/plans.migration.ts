import type { Migration } from '../../database/migrations.js';

/** Route plans (the whole plan as jsonb: it is read and written whole) and their history. */
export const ROUTE_PLANS_MIGRATION: Migration = {
  version: 12,
  name: 'route plans',
  sql: `
    CREATE TABLE route_plans (
      id            text PRIMARY KEY,
      zone          text NOT NULL,
      plan_date     date NOT NULL,
      status        text NOT NULL CHECK (status IN ('draft', 'published', 'completed', 'cancelled')),
      version       integer NOT NULL,
      body          jsonb NOT NULL,
      created_at    timestamptz NOT NULL,
      created_by    text NOT NULL,
      published_at  timestamptz,
      published_by  text
    );
    CREATE INDEX route_plans_zone_date_idx ON route_plans (zone, plan_date);
    CREATE INDEX route_plans_status_idx ON route_plans (status);
    CREATE TABLE route_plan_history (
      id        bigserial PRIMARY KEY,
      plan_id   text NOT NULL REFERENCES route_plans (id) ON DELETE CASCADE,
      at        timestamptz NOT NULL,
      by_user   text NOT NULL,
      action    text NOT NULL,
      note      text,
      version   integer NOT NULL
    );
    CREATE INDEX route_plan_history_plan_idx ON route_plan_history (plan_id, id);
  `,
};
