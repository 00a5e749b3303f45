import type { LeftOutStop, RoutePlan } from '@sanitation/contracts';
import { useT } from '../../i18n/i18n';
import { select } from '../../state/selection';
import { allowedActions, formatDuration, formatKg, formatKm, offRouteVehicles, routeColour } from './route-plan.logic';
import type { RoutesState } from './route-plan.store';
import { PlanActions } from './plan-actions';
import { PlanLoadChart } from './plan-load.chart';
import { PlanRouteCard } from './plan-route.card';

/** The plan shown: status, summary, actions, the selected route's load curve, every route and the bins left out. */
export function PlanView({ state, plan, timeZone, canEdit }: { state: RoutesState; plan: RoutePlan; timeZone: string; canEdit: boolean }) {
  const t = useT('routes');
  const s = plan.summary;
  const off = offRouteVehicles(plan, state.offRoute);
  const selected = plan.routes.find((r) => r.vehicleId === state.selectedVehicle) ?? null;
  // Stops are locked and moved on a draft only; a published plan changes by re-planning.
  const editStops = canEdit && allowedActions(plan).edit;
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v)} %`);
  const item = (label: string, value: string, key: string) => (
    <div class="plan-summary-item" data-key={key}>
      <span class="muted small">{label}</span>
      <strong>{value}</strong>
    </div>
  );
  return (
    <div class="plan-view">
      <div class="plan-status-line">
        <span class={`plan-status plan-status-${plan.status}`} data-testid="plan-status" data-status={plan.status} data-plan-id={plan.planId} data-version={plan.version}>
          {t(`status.${plan.status}`)}
        </span>
        <span class="small muted">
          {plan.zone} · {plan.date} · {t('summary.version', { version: plan.version })}
        </span>
      </div>
      <div class="plan-summary" data-testid="plan-summary" data-feasible={String(s.feasible)}>
        {item(t('summary.routes'), String(s.routes), 'routes')}
        {item(t('summary.stops'), String(s.stops), 'stops')}
        {item(t('summary.distance'), formatKm(s.distanceM), 'distance')}
        {item(t('summary.duration'), formatDuration(s.durationS), 'duration')}
        {item(t('summary.collected'), formatKg(s.collectedKg), 'collected')}
        {item(t('summary.leftOut'), String(s.leftOut), 'leftOut')}
        {item(t('summary.feasible'), s.feasible ? t('summary.yes') : t('summary.no'), 'feasible')}
        {item(t('summary.travel'), t(`travel.${s.travel}`), 'travel')}
        {item(t('summary.solve'), `${(s.solveMs / 1000).toFixed(1)} s`, 'solve')}
      </div>
      {canEdit && <PlanActions plan={plan} busy={state.busy} />}
      {selected && (
        <div class="plan-load">
          <h4>
            {t('route.loadCurve')} · {selected.vehicleName}
          </h4>
          <PlanLoadChart route={selected} colour={routeColour(plan, selected.vehicleId)} timeZone={timeZone} />
        </div>
      )}
      {plan.routes.map((r) => (
        <PlanRouteCard
          key={r.vehicleId}
          plan={plan}
          route={r}
          selected={r.vehicleId === state.selectedVehicle}
          offRoute={off.has(r.vehicleId) ? (state.offRoute[r.vehicleId] ?? { planId: plan.planId, vehicleId: r.vehicleId, offRouteM: r.progress?.offRouteM ?? 0, lat: 0, lon: 0, at: '' }) : null}
          timeZone={timeZone}
          canEdit={editStops}
        />
      ))}
      {plan.leftOut.length > 0 && <LeftOutList items={plan.leftOut} pct={pct} />}
    </div>
  );
}

function LeftOutList({ items, pct }: { items: LeftOutStop[]; pct: (v: number | null) => string }) {
  const t = useT('routes');
  return (
    <section class="plan-left-out">
      <h4>{t('leftOut.title', { count: items.length })}</h4>
      <ul>
        {items.map((l) => (
          <li
            key={l.deviceId}
            data-testid="plan-left-out"
            data-device-id={l.deviceId}
            data-reason={l.reason}
            onClick={() => select({ id: l.deviceId, kind: 'bin', lat: l.lat, lon: l.lon })}
          >
            <span class="job-device">{l.deviceId}</span> <span class={`plan-reason reason-${l.reason}`}>{t(`leftOut.reason.${l.reason}`)}</span>
            <div class="small muted">
              {t('leftOut.fill', { now: pct(l.fillPct), predicted: pct(l.predictedPct) })} · {l.detail}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
