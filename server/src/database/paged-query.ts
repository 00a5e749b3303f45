import type { Queryable, SqlParam } from './database.js';

/**
 * WHERE-clause builder for the paged list endpoints: each condition takes its value as the next
 * `$n` parameter, so filters never splice user input into SQL.
 */
export class FilterBuilder {
  readonly params: SqlParam[] = [];
  private readonly where: string[] = [];

  /** `sql` receives the placeholder (`$3`) of `value`. */
  add(sql: (placeholder: string) => string, value: SqlParam): this {
    this.params.push(value);
    this.where.push(sql(`$${this.params.length}`));
    return this;
  }

  /** `column = ANY($n::text[])` when `values` is given. */
  anyOf(column: string, values: readonly string[] | undefined): this {
    return values ? this.add((n) => `${column} = ANY(${n}::text[])`, values) : this;
  }

  /** `column = $n` when `value` is given. */
  equals(column: string, value: string | undefined): this {
    return value === undefined ? this : this.add((n) => `${column} = ${n}`, value);
  }

  get clause(): string {
    return this.where.length ? `WHERE ${this.where.join(' AND ')}` : '';
  }

  /** Runs the count and one page: `select` gets the clause and the LIMIT/OFFSET placeholders. */
  async page<R>(
    db: Queryable,
    table: string,
    select: (clause: string, limit: string, offset: string) => string,
    paging: { limit: number; offset: number },
  ): Promise<{ rows: R[]; total: number }> {
    const [count] = await db.query<{ total: number | string }>(`SELECT count(*) AS total FROM ${table} ${this.clause}`, this.params);
    const n = this.params.length;
    const rows = await db.query<R>(select(this.clause, `$${n + 1}`, `$${n + 2}`), [...this.params, paging.limit, paging.offset]);
    return { rows, total: Number(count?.total ?? 0) };
  }
}
