import type { KpiReport, KpiTrend } from '@sanitation/contracts';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../src/i18n/i18n';

// uPlot needs a real canvas; jsdom has none. The chart's data shaping is tested in kpi.test.ts.
vi.mock('../src/features/kpi/kpi-trend.chart', () => ({
  KpiTrendChart: ({ trend }: { trend: KpiTrend }) => <div data-testid="kpi-trend-chart" data-points={trend.points.length} />,
}));
const { KpiCockpit } = await import('../src/features/kpi/kpi-cockpit.page');

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ratio = (numerator: number, denominator: number, rate: number | null) => ({ numerator, denominator, rate });
const report: KpiReport = {
  from: '',
  to: '',
  zone: null,
  contractor: null,
  faultTimeliness: ratio(2, 3, 0.6666666666666666),
  septicWithinSla: ratio(0, 0, null),
  binsBeforeOverflow: ratio(9, 10, 0.9),
  facilityIntegrity: ratio(99, 100, 0.99),
  lightingRate: ratio(950, 1000, 0.95),
  responseByJobType: [{ type: 'collection', count: 4, avgMinutes: 75 }],
  trucks: [{ vehicleId: 'v1', deviceId: 'truck-1', name: 'Truck 1', distanceKm: 42.26, fixes: 100, movingFixes: 40, utilisation: 0.4 }],
  truncated: [],
};

describe('KpiCockpit', () => {
  let root: HTMLElement;
  const urls: string[] = [];
  beforeAll(async () => {
    await initI18n('zh-CN');
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    vi.unstubAllGlobals();
  });

  it('shows each KPI as the API returned it, with the fraction, and asks again for the chosen zone', async () => {
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
      const path = url.split('?')[0];
      if (path === '/api/kpi') return json(report);
      if (path === '/api/kpi/trend') return json({ from: '', to: '', zone: null, contractor: null, bucket: 'day', points: [] });
      if (path === '/api/zones') return json({ type: 'FeatureCollection', features: [{ properties: { id: 'north', name: '北区' } }] });
      if (path === '/api/contractors') return json([{ contractorId: 'acme', name: 'Acme' }]);
      return new Response('{}', { status: 404 });
    });
    root = document.createElement('div');
    document.body.append(root);
    render(<KpiCockpit />, root);
    const cards = () => [...root.querySelectorAll('[data-testid="kpi-card"]')];
    await waitFor(() => cards().length === 5, 'five cards');
    expect(cards().map((c) => [c.getAttribute('data-kpi'), c.getAttribute('data-rate')])).toEqual([
      ['lightingRate', '0.95'],
      ['facilityIntegrity', '0.99'],
      ['faultTimeliness', '0.6666666666666666'],
      ['binsBeforeOverflow', '0.9'],
      ['septicWithinSla', ''],
    ]);
    const timeliness = cards()[2]!;
    expect(timeliness.querySelector('.kpi-card-rate')!.textContent).toBe('66.7%');
    expect(timeliness.querySelector('.kpi-card-fraction')!.textContent).toBe('2 / 3');
    expect(cards()[4]!.querySelector('.kpi-card-rate')!.textContent).toBe('—');
    expect(root.querySelector('[data-testid="kpi-response-table"]')!.textContent).toContain('1 h 15 min');
    expect(root.querySelector('[data-testid="kpi-trucks-table"]')!.textContent).toContain('42.3 km');

    const kpiQuery = (u: string) => new URL(u, 'http://x').searchParams;
    const first = kpiQuery(urls.find((u) => u.startsWith('/api/kpi?'))!);
    expect(Date.parse(first.get('to')!)).toBeGreaterThan(Date.parse(first.get('from')!));
    expect(first.get('zone')).toBeNull();

    await waitFor(() => root.querySelectorAll('[data-testid="kpi-zone"] option').length === 2, 'the zones');
    const zone = root.querySelector<HTMLSelectElement>('[data-testid="kpi-zone"]')!;
    zone.value = 'north';
    zone.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0)); // let Preact re-render, as between two clicks
    urls.length = 0;
    root.querySelector<HTMLButtonElement>('[data-testid="kpi-apply"]')!.click();
    await waitFor(() => urls.some((u) => u.startsWith('/api/kpi?')), 'a new request');
    expect(kpiQuery(urls.find((u) => u.startsWith('/api/kpi?'))!).get('zone')).toBe('north');
  });
});
