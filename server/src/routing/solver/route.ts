import type { Instance } from './instance.js';

/**
 * One vehicle's route with the per-position data that makes an insertion check O(1): earliest
 * departure (forward), latest feasible service start (backward, Savelsbergh-style), load within the
 * current trip and the load at the end of that trip. Positions: 0 = start, 1..len = visits,
 * len+1 = end. A visit < 0 is a reload at location −1−visit; it empties the truck.
 */
export class Route {
  vis: Int32Array;
  len = 0;
  readonly prefixLen: number;
  loc: Int32Array;
  dep: Float64Array;
  st: Float64Array;
  latest: Float64Array;
  load: Float64Array;
  tripEnd: Float64Array;
  distance = 0;
  duration = 0;
  departStart = 0;
  arriveEnd = 0;
  cost = 0;
  /** time warp + capacity excess; 0 = feasible */
  violation = 0;

  constructor(
    readonly inst: Instance,
    readonly v: number,
  ) {
    const maxLen = inst.reloadSites[v]!.length > 0 ? 2 * inst.S + 2 : inst.S + 1;
    this.vis = new Int32Array(maxLen);
    this.loc = new Int32Array(maxLen + 2);
    this.dep = new Float64Array(maxLen + 2);
    this.st = new Float64Array(maxLen + 2);
    this.latest = new Float64Array(maxLen + 2);
    this.load = new Float64Array(maxLen + 2);
    this.tripEnd = new Float64Array(maxLen + 2);
    const pre = inst.prefix[v]!;
    this.prefixLen = pre.length;
    this.vis.set(pre);
    this.len = pre.length;
  }

  copyFrom(o: Route): void {
    this.vis.set(o.vis.subarray(0, o.len));
    this.len = o.len;
  }

  /** distance / duration of the arc leaving the last visit for the end (via an unload site if needed) */
  endArcDist(): number {
    const I = this.inst;
    const last = this.len > 0 ? this.vis[this.len - 1]! : 0;
    const l = this.len > 0 ? (last >= 0 ? I.stopLoc[last]! : -1 - last) : I.vStart[this.v]!;
    if (this.len > 0 && last >= 0) return I.endDist[this.v * I.nLoc + l]!;
    return I.dist[l * I.nLoc + I.vEnd[this.v]!]!;
  }

  endArcDur(): number {
    const I = this.inst;
    const last = this.len > 0 ? this.vis[this.len - 1]! : 0;
    const l = this.len > 0 ? (last >= 0 ? I.stopLoc[last]! : -1 - last) : I.vStart[this.v]!;
    if (this.len > 0 && last >= 0) return I.endDur[this.v * I.nLoc + l]!;
    return I.dur[l * I.nLoc + I.vEnd[this.v]!]!;
  }

  /** Recomputes every per-position datum and the route's cost: O(len), after each change. */
  update(routeOf: Int32Array, posOf: Int32Array, ri: number): void {
    const I = this.inst;
    const n = I.nLoc;
    const v = this.v;
    const cap = I.cap[v]!;
    const len = this.len;
    let viol = 0;
    let dist = 0;
    this.loc[0] = I.vStart[v]!;
    this.dep[0] = I.shiftS[v]!;
    this.st[0] = I.shiftS[v]!;
    this.load[0] = I.initLoad[v]!;
    if (this.load[0]! > cap) viol += this.load[0]! - cap;
    for (let p = 1; p <= len; p++) {
      const x = this.vis[p - 1]!;
      const prev = this.loc[p - 1]!;
      let t: number;
      if (x >= 0) {
        const l = I.stopLoc[x]!;
        this.loc[p] = l;
        dist += I.dist[prev * n + l]!;
        t = this.dep[p - 1]! + I.dur[prev * n + l]!;
        if (t < I.twS[x]!) t = I.twS[x]!;
        if (t > I.twE[x]!) viol += t - I.twE[x]!;
        this.dep[p] = t + I.service[x]!;
        const ld = this.load[p - 1]! + I.demand[x]!;
        this.load[p] = ld;
        if (ld > cap) viol += ld - cap;
        routeOf[x] = ri;
        posOf[x] = p;
      } else {
        const l = -1 - x;
        this.loc[p] = l;
        dist += I.dist[prev * n + l]!;
        t = this.dep[p - 1]! + I.dur[prev * n + l]!;
        this.dep[p] = t + I.reloadS[v]!;
        this.load[p] = 0;
      }
      this.st[p] = t;
    }
    const endT = this.endArcDur();
    dist += this.endArcDist();
    this.loc[len + 1] = I.vEnd[v]!;
    const arrEnd = this.dep[len]! + endT;
    this.st[len + 1] = arrEnd;
    if (arrEnd > I.shiftE[v]!) viol += arrEnd - I.shiftE[v]!;
    // latest feasible service start, backwards
    this.latest[len + 1] = I.shiftE[v]!;
    let te = this.load[len]!;
    for (let p = len; p >= 1; p--) {
      const x = this.vis[p - 1]!;
      const arc = p === len ? endT : I.dur[this.loc[p]! * n + this.loc[p + 1]!]!;
      const svc = x >= 0 ? I.service[x]! : I.reloadS[v]!;
      const tw = x >= 0 ? I.twE[x]! : Infinity;
      const lat = this.latest[p + 1]! - arc - svc;
      this.latest[p] = lat < tw ? lat : tw;
      this.tripEnd[p] = te;
      if (x < 0) te = this.load[p - 1]!;
    }
    this.tripEnd[0] = te;
    this.latest[0] = len > 0 ? this.latest[1]! - I.dur[this.loc[0]! * n + this.loc[1]!]! : I.shiftE[v]! - endT;
    // leave later to skip waiting before the first visit (same service times, shorter shift)
    let depart = I.shiftS[v]!;
    if (len > 0) {
      const d = this.st[1]! - I.dur[this.loc[0]! * n + this.loc[1]!]!;
      if (d > depart) depart = d;
    }
    this.departStart = depart;
    this.arriveEnd = arrEnd;
    this.distance = len > 0 ? dist : 0;
    this.duration = len > 0 ? arrEnd - depart : 0;
    this.cost = len > 0 ? I.perDist * this.distance + I.perDur * this.duration + I.fixedCost[v]! : 0;
    // soft end: the same late term the insertion and move screens estimate (lateDelta)
    if (len > 0 && I.perLate > 0 && arrEnd > I.softEnd[v]!) this.cost += I.perLate * (arrEnd - I.softEnd[v]!);
    this.violation = viol;
  }

  /** seconds this route arrives at its end after the soft end (0 when on time or no soft end) */
  lateness(): number {
    const late = this.len > 0 ? this.arriveEnd - this.inst.softEnd[this.v]! : 0;
    return late > 0 ? late : 0;
  }

  insertAt(p: number, x: number): void {
    this.vis.copyWithin(p + 1, p, this.len);
    this.vis[p] = x;
    this.len++;
  }

  removeAt(p: number): void {
    this.vis.copyWithin(p, p + 1, this.len);
    this.len--;
  }
}

/**
 * Change of the soft-end term if route r's arrival at its end moved by `dt` seconds (waiting in the
 * route may absorb part of it: an estimate for screening; the exact value comes from update()).
 * An empty route counts as arriving at its shift start plus the start→end trip.
 */
export function lateDelta(I: Instance, r: Route, dt: number): number {
  if (I.perLate === 0) return 0;
  const se = I.softEnd[r.v]!;
  const a = r.arriveEnd;
  const before = r.len > 0 && a > se ? a - se : 0;
  const after = a + dt > se ? a + dt - se : 0;
  return I.perLate * (after - before);
}
