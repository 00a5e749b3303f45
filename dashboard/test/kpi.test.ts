import type { KpiRatio, KpiTrend } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { formatFraction, formatKm, formatMinutes, formatPercent, rateAttribute } from '../src/features/kpi/kpi-format';
import { cityDate, cityMidnight, defaultPeriod, periodProblem, periodRange, trendBucket } from '../src/features/kpi/kpi-period';
import { trendData } from '../src/features/kpi/kpi-trend';

describe('KPI formatting', () => {
  it('shows rates as percentages and a null rate as a dash', () => {
    expect(formatPercent(0.9567)).toBe('95.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('shows the counts behind the rate', () => {
    expect(formatFraction({ numerator: 45, denominator: 47 })).toBe('45 / 47');
    expect(formatFraction({ numerator: 0, denominator: 0 })).toBe('0 / 0');
  });

  it('keeps the API rate exactly in data-rate, empty for null', () => {
    expect(rateAttribute(0.3333333333333333)).toBe('0.3333333333333333');
    expect(rateAttribute(null)).toBe('');
    expect(rateAttribute(0)).toBe('0');
  });

  it('formats minutes and distances', () => {
    expect(formatMinutes(42.4)).toBe('42 min');
    expect(formatMinutes(65)).toBe('1 h 05 min');
    expect(formatMinutes(null)).toBe('—');
    expect(formatKm(12.345)).toBe('12.3 km');
    expect(formatKm(null)).toBe('—');
  });
});

describe('KPI period in the city time zone', () => {
  it('defaults to this month so far, by the city calendar (not UTC)', () => {
    // 2026-11-30T20:00Z is already 1 December in Shanghai.
    const now = Date.parse('2026-11-30T20:00:00Z');
    expect(defaultPeriod(now, 'Asia/Shanghai')).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(defaultPeriod(now, 'UTC')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it("maps city dates to the city's midnights, cut at now", () => {
    const now = Date.parse('2026-11-27T06:00:00Z'); // 14:00 in Shanghai
    expect(periodRange({ from: '2026-11-01', to: '2026-11-27' }, 'Asia/Shanghai', now)).toEqual({
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-27T06:00:00.000Z',
    });
    expect(periodRange({ from: '2026-11-01', to: '2026-11-10' }, 'Asia/Shanghai', now)).toEqual({
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-10T16:00:00.000Z',
    });
  });

  it('finds midnight across a daylight-saving change', () => {
    // Berlin: CEST (+2) until 25 Oct 2026, CET (+1) after.
    expect(new Date(cityMidnight('2026-10-25', 'Europe/Berlin')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(cityMidnight('2026-10-26', 'Europe/Berlin')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(cityDate(Date.parse('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
  });

  it('flags bad periods and picks week buckets for long ones', () => {
    expect(periodProblem({ from: '2026-11-10', to: '2026-11-01' })).toBe('order');
    expect(periodProblem({ from: '', to: '2026-11-01' })).toBe('invalid');
    expect(periodProblem({ from: '2026-11-01', to: '2026-11-01' })).toBeNull();
    expect(trendBucket({ from: '2026-11-01', to: '2026-11-30' })).toBe('day');
    expect(trendBucket({ from: '2026-01-01', to: '2026-12-31' })).toBe('week');
  });
});

describe('trend series for uPlot', () => {
  const r = (numerator: number, denominator: number): KpiRatio => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });
  it('gives bucket starts in seconds and percentages, with gaps where nothing counted', () => {
    const trend: KpiTrend = {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-03T00:00:00.000Z',
      zone: null,
      contractor: null,
      bucket: 'day',
      points: [
        { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', faultTimeliness: r(1, 2), facilityIntegrity: r(99, 100), lightingRate: r(0, 0) },
        { from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z', faultTimeliness: r(0, 0), facilityIntegrity: r(2, 3), lightingRate: r(1, 1) },
      ],
    };
    expect(trendData(trend)).toEqual([
      [Date.parse('2026-11-01T00:00:00Z') / 1000, Date.parse('2026-11-02T00:00:00Z') / 1000],
      [50, null],
      [99, 66.67],
      [null, 100],
    ]);
  });
});
