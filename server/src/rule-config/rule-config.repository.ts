import { Inject, Injectable } from '@nestjs/common';
import type { DeviceKind, RuleOverride, RuleScope } from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

interface OverrideRow {
  kind: DeviceKind;
  scope: RuleScope;
  target: string;
  version: number;
  params: Record<string, number | boolean>;
  created_by: string;
  created_at: Date | string;
}

function toOverride(row: OverrideRow): RuleOverride {
  return {
    kind: row.kind,
    scope: row.scope,
    target: row.target === '' ? null : row.target,
    version: Number(row.version),
    params: row.params ?? {},
    createdBy: row.created_by,
    createdAt: (row.created_at instanceof Date ? row.created_at : new Date(row.created_at)).toISOString(),
  };
}

/** rule_overrides: every change is a new version row; the latest version per (kind, scope, target) applies. */
@Injectable()
export class RuleConfigRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async latest(): Promise<RuleOverride[]> {
    const rows = await this.db.query<OverrideRow>(
      `SELECT DISTINCT ON (kind, scope, target) * FROM rule_overrides ORDER BY kind, scope, target, version DESC`,
    );
    return rows.map(toOverride);
  }

  /**
   * Appends the next version. Two writers racing for one version number: the unique constraint
   * refuses the second, which retries with the next number.
   */
  async append(kind: DeviceKind, scope: RuleScope, target: string | null, params: Record<string, unknown>, by: string): Promise<RuleOverride> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await this.db.query<OverrideRow>(
          `INSERT INTO rule_overrides (kind, scope, target, version, params, created_by)
           SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4::jsonb, $5 FROM rule_overrides WHERE kind = $1 AND scope = $2 AND target = $3
           RETURNING *`,
          [kind, scope, target ?? '', JSON.stringify(params), by],
        );
        return toOverride(rows[0]!);
      } catch (err) {
        if (attempt >= 3 || !/unique|duplicate/i.test((err as Error).message)) throw err;
      }
    }
  }

  async history(filter: { kind?: DeviceKind | undefined; scope?: RuleScope | undefined; target?: string | undefined; limit: number }): Promise<RuleOverride[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    for (const [column, value] of [
      ['kind', filter.kind],
      ['scope', filter.scope],
      ['target', filter.target],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    params.push(filter.limit);
    const rows = await this.db.query<OverrideRow>(
      `SELECT * FROM rule_overrides ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toOverride);
  }
}
