import type { RoutePlanListItem, Vehicle } from '@sanitation/contracts';
import { useEffect, useState } from 'preact/hooks';
import { cityTimeZone, serverNow } from '../../app/server-time';
import { useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { cityDate } from './route-plan.logic';
import { createPlan, openPlan, routesState } from './route-plan.store';
import { routesApi } from './routes.api';

interface Form {
  zone: string;
  date: string;
  vehicleIds: string[];
  collectAtPct: number;
  timeLimitS: number;
  /** share the round over all chosen trucks (finish early) vs fewest trucks / least driving */
  balance: boolean;
}

/** The dispatcher's request: zone, trucks, day, threshold and solver budget; also opens an existing plan of that day. */
export function PlanRequestForm({ canEdit }: { canEdit: boolean }) {
  const t = useT('routes');
  const busy = useStore(routesState, (s) => s.busy);
  const shownId = useStore(routesState, (s) => s.plan?.planId ?? null);
  const [zones, setZones] = useState<{ id: string; name: string }[]>([]);
  const [vehicles, setVehicles] = useState<Vehicle[]>([]);
  const [plans, setPlans] = useState<RoutePlanListItem[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(() => ({ zone: '', date: cityDate(serverNow(), cityTimeZone()), vehicleIds: [], collectAtPct: 80, timeLimitS: 5, balance: true }));

  useEffect(() => {
    routesApi.zones().then(setZones, () => setZones([]));
    routesApi.collectionVehicles().then(setVehicles, () => setVehicles([]));
  }, []);
  useEffect(() => {
    routesApi.list({ zone: form.zone || undefined, date: form.date || undefined }).then(setPlans, () => setPlans([]));
  }, [form.zone, form.date, shownId]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setProblem(null);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const toggle = (id: string, on: boolean) => set('vehicleIds', on ? [...form.vehicleIds.filter((v) => v !== id), id] : form.vehicleIds.filter((v) => v !== id));

  const submit = (e: Event) => {
    e.preventDefault();
    if (!form.zone) return setProblem(t('request.needZone'));
    if (form.vehicleIds.length === 0) return setProblem(t('request.needVehicle'));
    // Keep the trucks in list order so route colours do not depend on the order of clicks.
    const vehicleIds = vehicles.map((v) => v.vehicleId).filter((id) => form.vehicleIds.includes(id));
    void createPlan({ zone: form.zone, date: form.date || undefined, vehicleIds, collectAtPct: form.collectAtPct, timeLimitS: form.timeLimitS, balance: form.balance });
  };

  const num = (e: Event) => Number((e.currentTarget as HTMLInputElement).value);
  return (
    <form class="plan-request" onSubmit={submit}>
      <h3>{t('request.title')}</h3>
      <label>
        {t('request.zone')}
        <select data-testid="plan-zone" value={form.zone} onChange={(e) => set('zone', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('request.chooseZone')}</option>
          {zones.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('request.date')}
        <input type="date" data-testid="plan-date" value={form.date} onInput={(e) => set('date', (e.currentTarget as HTMLInputElement).value)} />
      </label>
      <fieldset class="plan-vehicles">
        <legend>{t('request.vehicles')}</legend>
        {vehicles.length === 0 && <span class="muted small">{t('request.noVehicles')}</span>}
        {vehicles.map((v) => (
          <label key={v.vehicleId} class="plan-vehicle">
            <input
              type="checkbox"
              data-testid="plan-vehicle"
              data-vehicle-id={v.vehicleId}
              checked={form.vehicleIds.includes(v.vehicleId)}
              onChange={(e) => toggle(v.vehicleId, (e.currentTarget as HTMLInputElement).checked)}
            />
            {v.name} <span class="muted small">{t('request.capacity', { kg: v.capacityKg })}</span>
          </label>
        ))}
      </fieldset>
      <label>
        {t('request.collectAt')}
        <input type="number" min={1} max={100} data-testid="plan-collect-at" value={form.collectAtPct} onInput={(e) => set('collectAtPct', num(e))} />
      </label>
      <label>
        {t('request.timeLimit')}
        <input type="number" min={0.5} max={120} step={0.5} data-testid="plan-time-limit" value={form.timeLimitS} onInput={(e) => set('timeLimitS', num(e))} />
      </label>
      <label class="plan-balance" title={t('request.balanceHint')}>
        <input type="checkbox" data-testid="plan-balance" checked={form.balance} onChange={(e) => set('balance', (e.currentTarget as HTMLInputElement).checked)} />
        {t('request.balance')}
      </label>
      {canEdit && (
        <button type="submit" data-testid="plan-create" disabled={busy !== null}>
          {t('request.create')}
        </button>
      )}
      {busy === 'create' && (
        <span class="plan-solving" data-testid="plan-solving" role="status">
          {t('request.solving', { seconds: form.timeLimitS })}
        </span>
      )}
      {problem && (
        <p class="panel-error" data-testid="plan-form-problem" role="alert">
          {problem}
        </p>
      )}
      <label>
        {t('request.openPlan')}
        <select data-testid="plan-open" value={shownId ?? ''} onChange={(e) => void openPlan((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{plans.length === 0 ? t('request.noPlans') : '—'}</option>
          {plans.map((p) => (
            <option key={p.planId} value={p.planId}>
              {t('request.planOption', { zone: p.zone, date: p.date, status: t(`status.${p.status}`), version: p.version })}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
