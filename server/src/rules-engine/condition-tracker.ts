import type { Cause } from '@sanitation/contracts';
import type { ConditionReport, IncidentSink } from '../alarms/incident-sink.js';
import type { Queryable } from '../database/database.js';
import type { Logger } from '../logging/logger.js';

/**
 * The open conditions per subject, in memory, so the sink hears only transitions: `raise` on the
 * way into a condition, `clear` on the way out. Calls for one (subject, cause) are chained so a
 * clear never overtakes its raise. A failed raise forgets the condition, so the next reading
 * that still shows it tries again (the sink is idempotent).
 */
export class ConditionTracker {
  private readonly open = new Map<string, Set<Cause>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private sink: IncidentSink;
  /** Sees every sink call as it is queued (the engine hands them to ReadingsBus.track). */
  onCall: ((call: Promise<void>) => void) | undefined;

  constructor(
    sink: IncidentSink,
    private readonly logger: Logger,
  ) {
    this.sink = sink;
  }

  /** Swaps the sink (tests; or when the dispatch side starts after the engine). */
  useSink(sink: IncidentSink): void {
    this.sink = sink;
  }

  /**
   * At start-up: what the database says is open (unresolved alarms, unfinished jobs), so a
   * restarted server neither raises them again nor forgets to clear them.
   */
  async load(db: Queryable): Promise<number> {
    const rows = await db.query<{ subject_id: string; cause: Cause }>(
      `SELECT subject_id, cause FROM alarms WHERE status <> 'resolved'
       UNION SELECT subject_id, cause FROM jobs WHERE status IN ('open', 'assigned', 'en_route', 'on_site')`,
    );
    for (const row of rows) this.mark(row.subject_id, row.cause);
    return rows.length;
  }

  isOpen(subjectId: string, cause: Cause): boolean {
    return this.open.get(subjectId)?.has(cause) ?? false;
  }

  /** Subjects with this cause open (start-up seeding of cabinet faults). */
  subjectsWith(cause: Cause): string[] {
    const out: string[] = [];
    for (const [subject, causes] of this.open) if (causes.has(cause)) out.push(subject);
    return out;
  }

  /** True when this is a transition (the sink is called). */
  raise(report: ConditionReport): boolean {
    if (this.isOpen(report.subjectId, report.cause)) return false;
    this.mark(report.subjectId, report.cause);
    this.enqueue(report.subjectId, report.cause, async () => {
      try {
        await this.sink.raise(report);
      } catch (err) {
        this.unmark(report.subjectId, report.cause);
        throw err;
      }
    });
    return true;
  }

  clear(subjectId: string, cause: Cause, at: number, reason: string): boolean {
    if (!this.isOpen(subjectId, cause)) return false;
    this.unmark(subjectId, cause);
    this.enqueue(subjectId, cause, () => this.sink.clear(subjectId, cause, at, reason));
    return true;
  }

  /** Ordered after the (subject, cause) calls before it, e.g. after the gas alarm's raise. */
  setUnsafe(subjectId: string, cause: Cause, unsafe: boolean, at: number, reason: string): void {
    this.enqueue(subjectId, cause, () => this.sink.setUnsafe(subjectId, unsafe, at, reason));
  }

  /** Resolves when every sink call made so far has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private enqueue(subjectId: string, cause: Cause, call: () => Promise<void>): void {
    const key = `${subjectId}\u0000${cause}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(call).catch((err: unknown) => this.logger.error({ err, subjectId, cause }, 'incident sink call failed'));
    this.chains.set(key, next);
    this.pending.add(next);
    this.onCall?.(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private mark(subjectId: string, cause: Cause): void {
    let causes = this.open.get(subjectId);
    if (!causes) this.open.set(subjectId, (causes = new Set()));
    causes.add(cause);
  }

  private unmark(subjectId: string, cause: Cause): void {
    const causes = this.open.get(subjectId);
    causes?.delete(cause);
    if (causes && causes.size === 0) this.open.delete(subjectId);
  }
}

/** Used until the dispatch side provides INCIDENT_SINK: logs what it would have raised. */
export function loggingSink(logger: Logger): IncidentSink {
  return {
    raise: async (r) => logger.warn({ subject: r.subjectId, cause: r.cause }, `no incident sink: ${r.message}`),
    clear: async (subjectId, cause, _at, reason) => logger.info({ subject: subjectId, cause }, `no incident sink: cleared (${reason})`),
    setUnsafe: async (subjectId, unsafe) => logger.info({ subject: subjectId, unsafe }, 'no incident sink: unsafe flag'),
  };
}
