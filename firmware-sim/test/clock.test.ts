import { describe, expect, it } from 'vitest';
import { SimClock } from '../src/clock/sim-clock.js';

describe('sim clock', () => {
  it('anchored to a wall instant, it keeps the server formula start + (wall − anchor) × speed whenever start() runs', () => {
    let wall = 1_000_000;
    const clock = new SimClock(5_000_000, 1440, () => wall, 1_010_000);
    expect(clock.now()).toBe(5_000_000); // frozen until started
    wall = 1_030_000; // started 30 s after the anchor (provisioning took that long)
    clock.start();
    expect(clock.now()).toBe(5_000_000 + 20_000 * 1440);
    wall += 1_000;
    expect(clock.now()).toBe(5_000_000 + 21_000 * 1440);
  });

  it('without an anchor, sim time starts at start()', () => {
    let wall = 50;
    const clock = new SimClock(7_000, 60, () => wall);
    wall = 1_000;
    clock.start();
    expect(clock.now()).toBe(7_000);
    wall = 1_010;
    expect(clock.now()).toBe(7_600);
  });
});
