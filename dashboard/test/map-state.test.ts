import { describe, expect, it } from 'vitest';
import { ASSET_STATES, classifyAsset } from '../src/map/asset-state';

const name = (n: number) => ASSET_STATES[n];

describe('classifyAsset', () => {
  it('colours a bin by fill against the collection thresholds', () => {
    expect(name(classifyAsset('bin', { fillPct: 20 }, true))).toBe('level-low');
    expect(name(classifyAsset('bin', { fillPct: 60 }, true))).toBe('level-mid');
    expect(name(classifyAsset('bin', { fillPct: 80 }, true))).toBe('level-high');
    expect(name(classifyAsset('bin', { fillPct: 97 }, true))).toBe('level-full');
    expect(name(classifyAsset('bin', { fillPct: 30, tempC: 75 }, true))).toBe('alarm');
  });
  it('shows offline grey whatever the last values said', () => {
    expect(name(classifyAsset('bin', { fillPct: 97 }, false))).toBe('offline');
    expect(name(classifyAsset('streetlight', { lampOn: true, powerW: 80 }, false))).toBe('offline');
  });
  it('tells toilets ok from needing attention', () => {
    expect(name(classifyAsset('toilet', { nh3Ppm: 2, h2sPpm: 0.2, paperPct: 80, soapPct: 70 }, true))).toBe('ok');
    expect(name(classifyAsset('toilet', { nh3Ppm: 12 }, true))).toBe('alarm');
    expect(name(classifyAsset('toilet', { waterLeak: true }, true))).toBe('alarm');
    expect(name(classifyAsset('toilet', { paperPct: 5 }, true))).toBe('warn');
  });
  it('grades septic level and flags gas', () => {
    expect(name(classifyAsset('septic', { levelPct: 10 }, true))).toBe('level-low');
    expect(name(classifyAsset('septic', { levelPct: 90 }, true))).toBe('level-high');
    expect(name(classifyAsset('septic', { levelPct: 10, ch4PctLel: 25 }, true))).toBe('alarm');
  });
  it('shows lamps on, off, or faulty', () => {
    expect(name(classifyAsset('streetlight', { lampOn: true, powerW: 90, voltageV: 221 }, true))).toBe('lamp-on');
    expect(name(classifyAsset('streetlight', { lampOn: false, powerW: 0, voltageV: 221 }, true))).toBe('lamp-off');
    expect(name(classifyAsset('streetlight', { lampOn: true, powerW: 0.5, voltageV: 221 }, true))).toBe('lamp-fault');
    expect(name(classifyAsset('streetlight', { lampOn: false, voltageV: 3 }, true))).toBe('lamp-fault');
  });
  it('an open alarm overrides normal-looking values; no reading yet is unknown', () => {
    expect(name(classifyAsset('bin', { fillPct: 10 }, true, { severity: 'critical' }))).toBe('alarm');
    expect(name(classifyAsset('streetlight', { lampOn: true, powerW: 90 }, true, { severity: 'major' }))).toBe('lamp-fault');
    expect(name(classifyAsset('bin', null, true))).toBe('unknown');
  });
});
