import type { OffRouteEvent, PlanRoute, RoutePlan } from '@sanitation/contracts';
import { useT } from '../../i18n/i18n';
import { formatDelay, formatDuration, formatKg, formatKm, routeColour, stopNumbers } from './route-plan.logic';
import { selectRoute } from './route-plan.store';
import { PlanStopRow } from './plan-stop.row';

interface Props {
  plan: RoutePlan;
  route: PlanRoute;
  selected: boolean;
  offRoute: OffRouteEvent | null;
  timeZone: string;
  canEdit: boolean;
}

/** One truck's route: colour, distance, duration, live progress and its ordered stops. */
export function PlanRouteCard({ plan, route, selected, offRoute, timeZone, canEdit }: Props) {
  const t = useT('routes');
  const colour = routeColour(plan, route.vehicleId);
  const numbers = stopNumbers(route);
  const collects = numbers.size;
  const p = route.progress;
  return (
    <section class={`plan-route${selected ? ' selected' : ''}`} data-testid="plan-route" data-vehicle-id={route.vehicleId} style={{ borderLeftColor: colour }}>
      <header class="plan-route-head" onClick={() => selectRoute(route.vehicleId)}>
        <i class="plan-route-swatch" style={{ background: colour }} />
        <strong>{t('route.title', { vehicle: route.vehicleName })}</strong>
        {offRoute && (
          <span class="plan-offroute" data-testid="plan-offroute" data-vehicle-id={route.vehicleId} role="alert">
            {t('route.offRoute', { metres: Math.round(offRoute.offRouteM) })}
          </span>
        )}
        {p?.withdrawn && <span class="plan-withdrawn">{t('route.withdrawn')}</span>}
        {p && (
          <span class="plan-route-progress small" data-testid="plan-route-progress" data-delay-s={p.delayS}>
            {t('route.progress', { done: p.doneStops, total: route.stops.length })} · {t('route.delay', { delay: formatDelay(p.delayS) })}
          </span>
        )}
      </header>
      <div class="plan-route-meta small muted">
        {t('route.meta', { distance: formatKm(route.distanceM), duration: formatDuration(route.durationS), stops: collects, capacity: formatKg(route.capacityKg) })}
      </div>
      {route.stops.length === 0 ? (
        <p class="muted small">{t('route.noStops')}</p>
      ) : (
        <ol class="plan-stops">
          {route.stops.map((s) => (
            <PlanStopRow key={s.stopId} plan={plan} route={route} stop={s} number={numbers.get(s.stopId) ?? null} colour={colour} timeZone={timeZone} canEdit={canEdit} />
          ))}
        </ol>
      )}
    </section>
  );
}
