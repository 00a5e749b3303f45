import type { RoutePlan, RouteProgress, StopProgress } from '@sanitation/contracts';

/** One stop's live state as the tracker computes it. */
export interface StopProgressUpdate {
  stopId: string;
  progress: StopProgress;
  actualArriveAt: string | null;
  etaAt: string | null;
}

export interface RouteProgressUpdate {
  vehicleId: string;
  progress: RouteProgress;
  stops: StopProgressUpdate[];
}

/**
 * What live tracking (routing/progress) needs from the plans (routing/plans), so the tracker does not
 * depend on how plans are stored. Implemented by the plans side and provided under PUBLISHED_PLANS.
 */
export interface PublishedPlansPort {
  /** Plans with status `published` (with routes, stops, paths and job ids). */
  published(): Promise<RoutePlan[]>;
  /** Stores the tracker's view of a published plan (progress columns only; does not bump `version`). */
  saveProgress(planId: string, routes: RouteProgressUpdate[]): Promise<void>;
  /** Every collect stop done or skipped → the plan is `completed`. */
  complete(planId: string): Promise<void>;
}

export const PUBLISHED_PLANS = Symbol('PublishedPlansPort');
