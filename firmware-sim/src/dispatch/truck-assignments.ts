import type { AssignedStop, TruckJobSource } from './assigned-stops.js';

/**
 * What the world needs of the server's assignments: each truck's next job not yet visited, and
 * which bins are someone's job. Remembers per truck the jobs whose bin it has visited, until the
 * server stops listing them (closed on proof).
 */
export class TruckAssignments {
  private readonly served = new Map<string, Set<string>>();

  constructor(readonly source: TruckJobSource) {}

  /** The first of the truck's jobs whose bin it has not visited; `isBin` filters out unknown devices. */
  next(truckId: string, isBin: (deviceId: string) => boolean): AssignedStop | null {
    const stops = this.source.stopsFor(truckId);
    const served = this.servedBy(truckId);
    const listed = new Set(stops.map((s) => s.jobId));
    for (const id of served) if (!listed.has(id)) served.delete(id);
    return stops.find((s) => !served.has(s.jobId) && isBin(s.deviceId)) ?? null;
  }

  /** Bins still ahead on the truck's route (for a detour that leaves it). */
  ahead(truckId: string): string[] {
    const served = this.servedBy(truckId);
    return this.source.stopsFor(truckId).filter((s) => !served.has(s.jobId)).map((s) => s.deviceId);
  }

  isAssigned(binId: string): boolean {
    return this.source.isAssigned(binId);
  }

  setOff(truckId: string, jobId: string, t: number): void {
    this.source.onProgress(truckId, jobId, 'en_route', t);
  }

  arrived(truckId: string, jobId: string, t: number): void {
    this.servedBy(truckId).add(jobId);
    this.source.onProgress(truckId, jobId, 'on_site', t);
  }

  private servedBy(truckId: string): Set<string> {
    let set = this.served.get(truckId);
    if (!set) this.served.set(truckId, (set = new Set()));
    return set;
  }
}
