import { useEffect } from 'preact/hooks';
import { cityTimeZone, serverNow } from '../../app/server-time';
import { useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { cityDate, pickPlan } from './route-plan.logic';
import { clearPlanError, openPlan, routesState } from './route-plan.store';
import { PlanRequestForm } from './plan-request.form';
import { PlanView } from './plan-view';
import { routesApi } from './routes.api';
import './routes.css';

/** The route planner's side panel: the request form, errors, and the plan shown. */
export function RoutesPanel({ canDispatch }: { canDispatch: boolean }) {
  const t = useT('routes');
  const state = useStore(routesState);
  const timeZone = cityTimeZone();

  // A wall screen reopens on today's plan after a reload.
  useEffect(() => {
    if (routesState.get().plan) return;
    routesApi
      .list({ date: cityDate(serverNow(), timeZone) })
      .then((plans) => {
        const pick = pickPlan(plans);
        if (pick && !routesState.get().plan && !routesState.get().busy) void openPlan(pick.planId);
      })
      .catch(() => undefined);
  }, []);

  return (
    <div class="routes-panel" data-testid="routes-panel">
      <PlanRequestForm canEdit={canDispatch} />
      {!canDispatch && <p class="muted small">{t('readOnly')}</p>}
      {state.error && (
        <div class="panel-error plan-error" data-testid="plan-error" data-kind={state.error.kind} role="alert">
          {t(`error.${state.error.kind}`, { message: state.error.message })}
          <button type="button" onClick={clearPlanError}>
            {t('error.dismiss')}
          </button>
        </div>
      )}
      {state.plan ? <PlanView state={state} plan={state.plan} timeZone={timeZone} canEdit={canDispatch} /> : <p class="empty">{t('empty')}</p>}
    </div>
  );
}
