/**
 * Reading route plans in the routing e2e test: collect stops, who serves what, and the zone and
 * trucks the scenario plans for (picked from the seeded demo city before it starts).
 */
import type { Job, PlanRoute, PlanStop, RoutePlan } from '@sanitation/contracts';
import type { Simulation } from '@sanitation/firmware-sim';

export const collects = (route: PlanRoute): PlanStop[] => route.stops.filter((s) => s.kind === 'collect');
export const allCollects = (plan: RoutePlan): PlanStop[] => plan.routes.flatMap(collects);
export const routeOf = (plan: RoutePlan, vehicleId: string): PlanRoute => {
  const route = plan.routes.find((r) => r.vehicleId === vehicleId);
  if (!route) throw new Error(`plan ${plan.planId} has no route for ${vehicleId}`);
  return route;
};

/** Great-circle distance, metres. */
export function haversineM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** `job.details.routePlan` as publish stamps it. */
export interface JobRoutePlan {
  planId: string;
  vehicleId: string;
  seq: number;
  plannedAt: string;
}
export const routePlanOf = (job: Job): JobRoutePlan | undefined => job.details['routePlan'] as JobRoutePlan | undefined;

/** The zone with the most bins among those served by at least two collection trucks, and two of its trucks. */
export function pickZone(sim: Simulation): { zone: string; bins: string[]; trucks: [string, string] } {
  const { city } = sim;
  let best: { zone: string; bins: string[]; trucks: [string, string] } | null = null;
  for (const z of city.zones) {
    const trucks = city.devices.filter((d) => d.kind === 'truck' && d.attributes['vehicleType'] === 'collection' && (d.serviceZones ?? [d.zone]).includes(z.id));
    const bins = city.devices.filter((d) => d.kind === 'bin' && d.zone === z.id).map((d) => d.id);
    if (trucks.length < 2 || (best && bins.length <= best.bins.length)) continue;
    best = { zone: z.id, bins, trucks: [trucks[0]!.id, trucks[1]!.id] };
  }
  if (!best) throw new Error('no zone with two collection trucks in this city; pick another seed');
  return best;
}
