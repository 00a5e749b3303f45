/** A bin's fill or a tank's level at one time. */
export interface LevelSample {
  ts: number;
  pct: number;
}

export interface DropOptions {
  /** Percentage points the level must fall. */
  dropPct: number;
  /** A level at or below this (and lower than before) also counts; null: only the drop counts. */
  emptyPct: number | null;
}

/** Did the level fall enough? With `before` unknown (null) only an empty reading proves it. */
export function levelDropped(before: number | null, after: number, opts: DropOptions): boolean {
  if (before === null) return opts.emptyPct !== null && after <= opts.emptyPct;
  if (after >= before) return false;
  return before - after >= opts.dropPct || (opts.emptyPct !== null && after <= opts.emptyPct);
}

/** Inserts a sample in ts order (a repeated ts is ignored), keeping the newest `keep`. Returns whether it was new. */
export function addSample(history: LevelSample[], sample: LevelSample, keep: number): boolean {
  let i = history.length;
  while (i > 0 && history[i - 1]!.ts > sample.ts) i--;
  if (i > 0 && history[i - 1]!.ts === sample.ts) return false;
  history.splice(i, 0, sample);
  if (history.length > keep) history.splice(0, history.length - keep);
  return true;
}

/** The level before a stop: the newest sample at or before `at` (null when none is that old). */
export function levelAt(history: readonly LevelSample[], at: number): LevelSample | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.ts <= at) return history[i]!;
  return null;
}

/** The first sample in (after, until] whose level dropped against `before`. */
export function firstDrop(history: readonly LevelSample[], before: number | null, after: number, until: number, opts: DropOptions): LevelSample | null {
  for (const s of history) {
    if (s.ts > after && s.ts <= until && levelDropped(before, s.pct, opts)) return s;
  }
  return null;
}
