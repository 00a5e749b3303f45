/** Placeholder until the KPI cockpit lands. */
export function KpiCockpit() {
  return <div data-testid="kpi-cockpit" />;
}
