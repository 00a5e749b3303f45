import type { Basemap, CreatePlanRequest, RoutePlan, RoutePlanListItem, Vehicle, ZoneCollection } from '@sanitation/contracts';
import { api, request } from '../../api/http';
import type { EditRequest } from './route-plan.logic';

/** The plan endpoints of the server's routing module (contracts/src/api/routing.ts). */
export const routesApi = {
  /**
   * Registered zones, then the base map's zones not registered: a city set up from its base map
   * alone (the demo simulator's) has zones on its devices and map but none imported.
   */
  zones: async (): Promise<{ id: string; name: string }[]> => {
    const [fc, basemap] = await Promise.all([api.get<ZoneCollection>('/zones').catch(() => null), api.get<Basemap>('/map/basemap').catch(() => null)]);
    const zones = (fc?.features ?? []).map((f) => ({ id: f.properties.id, name: f.properties.name }));
    const known = new Set(zones.map((z) => z.id));
    for (const f of basemap?.features ?? []) {
      if (f.properties.layer !== 'zone' || known.has(f.properties.id)) continue;
      known.add(f.properties.id);
      zones.push({ id: f.properties.id, name: f.properties.name ?? f.properties.id });
    }
    return zones;
  },
  /** Only trucks that collect bins can run a round. */
  collectionVehicles: async (): Promise<Vehicle[]> => (await api.get<Vehicle[]>('/vehicles')).filter((v) => v.skill === 'collection'),
  list: (query: { zone?: string; date?: string; status?: string }) => api.get<RoutePlanListItem[]>('/routing/plans', query),
  get: (planId: string) => api.get<RoutePlan>(`/routing/plans/${encodeURIComponent(planId)}`),
  create: (body: CreatePlanRequest) => api.post<RoutePlan>('/routing/plans', body),
  edit: <B>(req: EditRequest<B>) => request<RoutePlan>(req.path, { method: req.method, body: req.body }),
  optimize: (plan: RoutePlan, timeLimitS?: number) =>
    api.post<RoutePlan>(`/routing/plans/${encodeURIComponent(plan.planId)}/optimize`, { version: plan.version, ...(timeLimitS ? { timeLimitS } : {}) }),
  publish: (plan: RoutePlan) => api.post<RoutePlan>(`/routing/plans/${encodeURIComponent(plan.planId)}/publish`, { version: plan.version }),
  breakdown: (plan: RoutePlan, vehicleId: string, note: string) =>
    api.post<RoutePlan>(`/routing/plans/${encodeURIComponent(plan.planId)}/breakdown`, { vehicleId, note }),
  cancel: (plan: RoutePlan) => api.post<RoutePlan>(`/routing/plans/${encodeURIComponent(plan.planId)}/cancel`, { version: plan.version }),
};
