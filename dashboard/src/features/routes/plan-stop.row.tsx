import type { PlanRoute, PlanStop, RoutePlan } from '@sanitation/contracts';
import { useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { select } from '../../state/selection';
import { formatClock, formatKg, lockRequest, moveRequest, stopPlace } from './route-plan.logic';
import { focusOn, runEdit } from './route-plan.store';
import { routesApi } from './routes.api';

interface Props {
  plan: RoutePlan;
  route: PlanRoute;
  stop: PlanStop;
  number: number | null;
  colour: string;
  timeZone: string;
  canEdit: boolean;
}

/** One stop of a route: times, fill, load, window, lock and move; a click flies the map there. */
export function PlanStopRow({ plan, route, stop, number, colour, timeZone, canEdit }: Props) {
  const t = useT('routes');
  const [moving, setMoving] = useState(false);
  const clock = (iso: string | null) => formatClock(iso, timeZone);
  // A bin opens its asset panel (the map flies there); a depot or unload site is no asset: the map only flies.
  const fly = () => (stop.deviceId ? select({ id: stop.deviceId, kind: stop.deviceKind, lat: stop.lat, lon: stop.lon }) : focusOn(stop.lon, stop.lat));
  const collect = stop.kind === 'collect';
  const live = plan.status === 'published' && stop.progress !== 'done' && stop.progress !== 'skipped';
  return (
    <li
      class={`plan-stop plan-stop-${stop.kind} progress-${stop.progress}`}
      data-testid="plan-stop"
      data-stop-id={stop.stopId}
      data-device-id={stop.deviceId ?? ''}
      data-kind={stop.kind}
      data-locked={String(stop.locked)}
      data-progress={stop.progress}
    >
      <div class="plan-stop-line" onClick={fly}>
        <span class="plan-stop-no" style={{ borderColor: colour, background: collect ? colour : undefined }}>
          {number ?? (stop.kind === 'unload' ? '⇩' : '⌂')}
        </span>
        <span class="plan-stop-name">{collect ? (stop.name ?? stop.deviceId) : `${t(`stop.kind.${stop.kind}`)}${stop.name ? ` · ${stop.name}` : ''}`}</span>
        <span class="plan-stop-times small" title={`${t('stop.arrive')} / ${t('stop.service')} / ${t('stop.depart')}`}>
          {clock(stop.arriveAt)} / {clock(stop.serviceAt)} / {clock(stop.departAt)}
        </span>
        {stop.locked && (
          <span class="plan-stop-locked" title={t('stop.locked')}>
            {t('stop.lockedBadge')}
          </span>
        )}
      </div>
      <div class="plan-stop-line small muted">
        {stop.predictedPct !== null && <span class="plan-stop-pct">{t('stop.predicted', { pct: Math.round(stop.predictedPct) })}</span>}
        <span>{t('stop.loadAfter', { kg: formatKg(stop.loadAfterKg) })}</span>
        {(stop.windowFrom || stop.windowTo) && <span>{t('stop.window', { from: clock(stop.windowFrom), to: clock(stop.windowTo) })}</span>}
        {plan.status !== 'draft' && <span class={`plan-stop-progress badge-${stop.progress}`}>{t(`stop.progress.${stop.progress}`)}</span>}
        {stop.actualArriveAt && <span>{t('stop.actual', { time: clock(stop.actualArriveAt) })}</span>}
        {live && stop.etaAt && (
          <span class="plan-stop-eta" data-testid="plan-stop-eta" data-eta={stop.etaAt}>
            {t('stop.eta', { time: clock(stop.etaAt) })}
          </span>
        )}
      </div>
      {canEdit && collect && (
        <div class="plan-stop-actions">
          <button type="button" data-testid="plan-stop-lock" aria-pressed={stop.locked} onClick={() => void runEdit('lock', (p) => routesApi.edit(lockRequest(p, stop)))}>
            {stop.locked ? t('stop.unlock') : t('stop.lock')}
          </button>
          <button type="button" data-testid="plan-stop-move" aria-expanded={moving} onClick={() => setMoving(!moving)}>
            {t('stop.move')}
          </button>
        </div>
      )}
      {moving && <MoveEditor plan={plan} route={route} stop={stop} onDone={() => setMoving(false)} />}
    </li>
  );
}

function MoveEditor({ plan, route, stop, onDone }: { plan: RoutePlan; route: PlanRoute; stop: PlanStop; onDone: () => void }) {
  const t = useT('routes');
  const here = stopPlace(plan, stop.stopId);
  const [vehicleId, setVehicleId] = useState(route.vehicleId);
  // Shown 1-based (as the markers are numbered); the API takes 0-based.
  const [position, setPosition] = useState((here?.index ?? 0) + 1);
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    // 0 typed means "first" too (the API counts from 0; the dispatcher from 1).
    const req = moveRequest(plan, stop.stopId, vehicleId, position === 0 ? 0 : position - 1);
    if ('error' in req) return setProblem(t(req.error));
    if (await runEdit('move', (p) => routesApi.edit({ ...req, body: { ...req.body, version: p.version } }))) onDone();
  };
  return (
    <div class="plan-move job-subform">
      <select aria-label={t('move.vehicle')} data-testid="plan-move-vehicle" value={vehicleId} onChange={(e) => setVehicleId((e.currentTarget as HTMLSelectElement).value)}>
        {plan.routes.map((r) => (
          <option key={r.vehicleId} value={r.vehicleId}>
            {r.vehicleName}
          </option>
        ))}
      </select>
      <input
        type="number"
        min={1}
        aria-label={t('move.index')}
        title={t('move.index')}
        data-testid="plan-move-index"
        data-base="1"
        value={position}
        onInput={(e) => setPosition(Number((e.currentTarget as HTMLInputElement).value))}
      />
      <button type="button" data-testid="plan-move-confirm" onClick={() => void confirm()}>
        {t('move.confirm')}
      </button>
      <button type="button" onClick={onDone}>
        {t('move.cancel')}
      </button>
      {problem && (
        <span class="panel-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
