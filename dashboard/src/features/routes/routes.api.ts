import type { CreatePlanRequest, RoutePlan, RoutePlanListItem, Vehicle, ZoneCollection } from '@sanitation/contracts';
import { api, request } from '../../api/http';
import type { EditRequest } from './route-plan.logic';

/** The plan endpoints of the server's routing module (contracts/src/api/routing.ts). */
export const routesApi = {
  zones: async (): Promise<{ id: string; name: string }[]> => {
    const fc = await api.get<ZoneCollection>('/zones');
    return fc.features.map((f) => ({ id: f.properties.id, name: f.properties.name }));
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
