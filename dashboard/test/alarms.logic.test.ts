import type { Alarm } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { beep } from '../src/features/alarms/alarm-cue';
import { criticalUnacknowledged, newCritical, visibleAlarms } from '../src/features/alarms/alarm-feed.logic';

const NOW = Date.parse('2026-11-27T08:00:00Z');
const alarm = (over: Partial<Alarm>): Alarm =>
  ({ alarmId: 'a', deviceId: 'bin-1', severity: 'minor', status: 'open', openedAt: '2026-11-27T07:00:00Z', resolvedAt: null, ...over }) as Alarm;

describe('alarm feed order', () => {
  it('shows the most severe first and, within a severity, the newest first', () => {
    const list = [
      alarm({ alarmId: 'minor-new', severity: 'minor', openedAt: '2026-11-27T07:50:00Z' }),
      alarm({ alarmId: 'crit-old', severity: 'critical', openedAt: '2026-11-27T06:00:00Z' }),
      alarm({ alarmId: 'warn', severity: 'warning', openedAt: '2026-11-27T07:59:00Z' }),
      alarm({ alarmId: 'crit-new', severity: 'critical', openedAt: '2026-11-27T07:30:00Z', status: 'acknowledged' }),
      alarm({ alarmId: 'major', severity: 'major' }),
    ];
    expect(visibleAlarms(list, NOW).map((a) => a.alarmId)).toEqual(['crit-new', 'crit-old', 'major', 'minor-new', 'warn']);
  });

  it('keeps a just-resolved alarm at the bottom and drops old resolved ones', () => {
    const list = [
      alarm({ alarmId: 'resolved-now', severity: 'critical', status: 'resolved', resolvedAt: '2026-11-27T07:58:00Z' }),
      alarm({ alarmId: 'resolved-old', status: 'resolved', resolvedAt: '2026-11-27T06:00:00Z' }),
      alarm({ alarmId: 'open' }),
    ];
    expect(visibleAlarms(list, NOW).map((a) => a.alarmId)).toEqual(['open', 'resolved-now']);
  });
});

describe('critical cue', () => {
  it('is about critical alarms nobody has acknowledged yet', () => {
    const list = [
      alarm({ alarmId: 'fire', severity: 'critical', cause: 'bin-fire' }),
      alarm({ alarmId: 'gas-acked', severity: 'critical', cause: 'septic-gas', status: 'acknowledged' }),
      alarm({ alarmId: 'full', severity: 'major', cause: 'bin-full' }),
      alarm({ alarmId: 'gas-resolved', severity: 'critical', status: 'resolved' }),
    ];
    expect(criticalUnacknowledged(list).map((a) => a.alarmId)).toEqual(['fire']);
  });

  it('beeps once per new critical alarm, and again if it comes back after being cleared', () => {
    const fire = alarm({ alarmId: 'fire', severity: 'critical' });
    const gas = alarm({ alarmId: 'gas', severity: 'critical' });
    let r = newCritical([fire], new Set());
    expect(r.fresh.map((a) => a.alarmId)).toEqual(['fire']);
    r = newCritical([fire, gas], r.seen);
    expect(r.fresh.map((a) => a.alarmId)).toEqual(['gas']);
    r = newCritical([gas], r.seen);
    expect(r.fresh).toEqual([]);
    r = newCritical([fire, gas], r.seen);
    expect(r.fresh.map((a) => a.alarmId)).toEqual(['fire']);
  });

  it('never throws when the browser has no audio or refuses to start it', () => {
    expect(beep()).toBe(false); // jsdom: no AudioContext
    class Blocked {
      state = 'suspended';
      resume = () => Promise.reject(new Error('NotAllowedError'));
    }
    (globalThis as unknown as { AudioContext: unknown }).AudioContext = Blocked;
    expect(beep()).toBe(false);
    delete (globalThis as unknown as { AudioContext?: unknown }).AudioContext;
  });
});
