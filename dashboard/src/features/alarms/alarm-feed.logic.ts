import { SEVERITIES, type Alarm } from '@sanitation/contracts';

/** critical 0 … warning 3. */
export const severityRank = (a: Pick<Alarm, 'severity'>): number => {
  const i = SEVERITIES.indexOf(a.severity);
  return i < 0 ? SEVERITIES.length : i;
};

/** A resolved alarm stays in the feed (dimmed) this long, so the dispatcher sees it go. */
export const RECENTLY_RESOLVED_MS = 5 * 60_000;

export const isActive = (a: Alarm): boolean => a.status !== 'resolved';

/** Unresolved first; then most severe; then newest. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    Number(!isActive(a)) - Number(!isActive(b)) ||
    severityRank(a) - severityRank(b) ||
    Date.parse(b.openedAt) - Date.parse(a.openedAt) ||
    a.alarmId.localeCompare(b.alarmId)
  );
}

export function visibleAlarms(all: Iterable<Alarm>, now: number): Alarm[] {
  return [...all]
    .filter((a) => isActive(a) || (a.resolvedAt !== null && now - Date.parse(a.resolvedAt) <= RECENTLY_RESOLVED_MS))
    .sort(compareAlarms);
}

/** What the critical cue is about: critical (fire, gas) and nobody has acknowledged it yet. */
export function criticalUnacknowledged(all: Iterable<Alarm>): Alarm[] {
  return [...all].filter((a) => a.severity === 'critical' && a.status === 'open').sort(compareAlarms);
}

/**
 * Which critical alarms deserve a new beep: those not seen before. Returns the ids to remember
 * (only the currently unacknowledged ones, so a re-opened alarm beeps again).
 */
export function newCritical(current: readonly Alarm[], seen: ReadonlySet<string>): { fresh: Alarm[]; seen: Set<string> } {
  return { fresh: current.filter((a) => !seen.has(a.alarmId)), seen: new Set(current.map((a) => a.alarmId)) };
}
