import type { DeviceKind } from '@sanitation/contracts';

/** Share of each kind in the fleet, as in a typical district deployment. */
export const DEVICE_MIX: Record<DeviceKind, number> = {
  bin: 0.45,
  streetlight: 0.35,
  toilet: 0.08,
  septic: 0.07,
  truck: 0.05,
};

/** Device counts per kind summing to `total`; at least one of each kind when total ≥ 5. */
export function deviceCounts(total: number): Record<DeviceKind, number> {
  const kinds = Object.keys(DEVICE_MIX) as DeviceKind[];
  const counts = {} as Record<DeviceKind, number>;
  const remainders: [DeviceKind, number][] = [];
  let assigned = 0;
  for (const kind of kinds) {
    const exact = total * DEVICE_MIX[kind];
    counts[kind] = Math.floor(exact);
    assigned += counts[kind];
    remainders.push([kind, exact - counts[kind]]);
  }
  remainders.sort((a, b) => b[1] - a[1]);
  for (let i = 0; assigned < total; i++, assigned++) counts[remainders[i % remainders.length]![0]]++;
  if (total >= kinds.length) {
    for (const kind of kinds) {
      while (counts[kind] === 0) {
        const donor = kinds.reduce((a, b) => (counts[a] >= counts[b] ? a : b));
        counts[donor]--;
        counts[kind]++;
      }
    }
  }
  return counts;
}
