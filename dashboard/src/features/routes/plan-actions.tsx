import type { RoutePlan } from '@sanitation/contracts';
import { useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { allowedActions } from './route-plan.logic';
import { runEdit, type Busy } from './route-plan.store';
import { routesApi } from './routes.api';

/** Re-optimise, publish (with a confirmation), truck breakdown (with a required note), cancel. */
export function PlanActions({ plan, busy }: { plan: RoutePlan; busy: Busy | null }) {
  const t = useT('routes');
  const can = allowedActions(plan);
  const [confirming, setConfirming] = useState<'publish' | 'breakdown' | 'cancel' | null>(null);
  const [vehicleId, setVehicleId] = useState('');
  const [note, setNote] = useState('');
  const disabled = busy !== null;
  const active = plan.routes.filter((r) => !r.progress?.withdrawn);
  const breakdownVehicle = vehicleId || active[0]?.vehicleId || '';

  const breakdown = async () => {
    if (!note.trim() || !breakdownVehicle) return;
    if (await runEdit('breakdown', (p) => routesApi.breakdown(p, breakdownVehicle, note.trim()))) {
      setConfirming(null);
      setNote('');
    }
  };

  return (
    <div class="plan-actions">
      <div class="job-actions">
        {can.edit && (
          <button type="button" data-testid="plan-optimize" disabled={disabled} onClick={() => void runEdit('optimize', (p) => routesApi.optimize(p, p.params.timeLimitS))}>
            {t('actions.optimize')}
          </button>
        )}
        {can.publish && (
          <button type="button" data-testid="plan-publish" disabled={disabled} onClick={() => setConfirming(confirming === 'publish' ? null : 'publish')}>
            {t('actions.publish')}
          </button>
        )}
        {can.breakdown && (
          <button type="button" class="danger" data-testid="plan-breakdown" disabled={disabled} onClick={() => setConfirming(confirming === 'breakdown' ? null : 'breakdown')}>
            {t('actions.breakdown')}
          </button>
        )}
        {can.cancel && (
          <button type="button" class="danger" data-testid="plan-cancel" disabled={disabled} onClick={() => setConfirming(confirming === 'cancel' ? null : 'cancel')}>
            {t('actions.cancelPlan')}
          </button>
        )}
        {busy && busy !== 'create' && (
          <span class="plan-solving small" data-testid="plan-working" role="status">
            {t(`actions.working.${busy}`)}
          </span>
        )}
      </div>
      {confirming === 'publish' && (
        <div class="job-subform plan-confirm">
          <span>{t('actions.publishConfirm')}</span>
          <button
            type="button"
            data-testid="plan-publish-confirm"
            disabled={disabled}
            onClick={() => void runEdit('publish', (p) => routesApi.publish(p)).then((ok) => ok && setConfirming(null))}
          >
            {t('actions.publishYes')}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t('actions.cancel')}
          </button>
        </div>
      )}
      {confirming === 'cancel' && (
        <div class="job-subform plan-confirm">
          <span>{t('actions.cancelConfirm')}</span>
          <button
            type="button"
            class="danger"
            data-testid="plan-cancel-confirm"
            disabled={disabled}
            onClick={() => void runEdit('cancel', (p) => routesApi.cancel(p)).then((ok) => ok && setConfirming(null))}
          >
            {t('actions.cancelYes')}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t('actions.cancel')}
          </button>
        </div>
      )}
      {confirming === 'breakdown' && (
        <div class="job-subform plan-confirm">
          <select aria-label={t('actions.breakdownVehicle')} data-testid="plan-breakdown-vehicle" value={breakdownVehicle} onChange={(e) => setVehicleId((e.currentTarget as HTMLSelectElement).value)}>
            {active.map((r) => (
              <option key={r.vehicleId} value={r.vehicleId}>
                {r.vehicleName}
              </option>
            ))}
          </select>
          <input
            type="text"
            required
            placeholder={t('actions.breakdownNote')}
            aria-label={t('actions.breakdownNote')}
            data-testid="plan-breakdown-note"
            value={note}
            onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="button" class="danger" data-testid="plan-breakdown-confirm" disabled={disabled || !note.trim()} onClick={() => void breakdown()}>
            {t('actions.breakdownConfirm')}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t('actions.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}
