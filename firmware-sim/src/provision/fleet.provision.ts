import type { RegisterCrewRequest, RegisterDisposalSiteRequest, RegisterVehicleRequest } from '@sanitation/contracts';
import type { City } from '../city/city.types.js';
import { ProvisionClient } from './provision.client.js';

export interface FleetProvisionOptions {
  serverUrl: string;
  adminUser: string;
  adminPassword: string;
  /** When set, the crews' member accounts (role crew) are created with this password. */
  crewPassword?: string;
  /** Local shift of each truck, HH:MM (from the world, which staggers shifts per truck). */
  truckShift: (truckId: string) => { start: string; end: string };
  log?: (msg: string) => void;
}

export interface FleetProvisionResult {
  vehicles: number;
  crews: number;
  disposalSites: number;
  operators: number;
  /** Routes the server does not offer (yet): nothing was registered there. */
  unsupported: string[];
}

/** The crews of the demo city: who logs in as each, and what it does. */
export function demoCrews(city: City): RegisterCrewRequest[] {
  const base = city.depots[0]!;
  const at = { lat: base.lat, lon: base.lon };
  return [
    // Lamp faults show at night: the lighting crew is on call around the clock.
    { id: 'crew-lighting-1', name: 'Lighting crew 1', skill: 'lighting', members: ['lighting-1'], capacityJobs: 8, shift: { start: '00:00', end: '23:59' }, base: at },
    { id: 'crew-toilet-1', name: 'Toilet attendants 1', skill: 'toilet', members: ['toilet-1'], capacityJobs: 12, shift: { start: '06:00', end: '22:00' }, base: at },
  ];
}

/** The crew account of the n-th truck (0-based) of the demo city. */
export const truckCrewMember = (index: number): string => `driver-${index + 1}`;

export function demoVehicles(city: City, shift: FleetProvisionOptions['truckShift']): RegisterVehicleRequest[] {
  return city.devices
    .filter((d) => d.kind === 'truck')
    .map((d, i) => ({
      id: d.id,
      name: d.name,
      skill: d.attributes['vehicleType'] === 'tanker' ? ('septic' as const) : ('collection' as const),
      deviceId: d.id,
      capacityKg: d.attributes.payloadKg ?? 5000,
      shift: shift(d.id),
      // The truck's crew logs in as driver-<n> and sees the truck's jobs in the crew view.
      members: [truckCrewMember(i)],
    }));
}

export function demoDisposalSites(city: City): RegisterDisposalSiteRequest[] {
  return city.disposalSites.map((s) => ({ id: s.id, name: s.name, lat: s.lat, lon: s.lon, ...(s.radiusM ? { radiusM: s.radiusM } : {}) }));
}

/**
 * Registers the city's units with the dispatch core after the devices: trucks as vehicles
 * (collection or septic), a lighting and a toilet crew based at a depot, and the disposal sites.
 * Idempotent: what the server already has (409) is left as it is.
 */
export async function provisionUnits(city: City, opts: FleetProvisionOptions): Promise<FleetProvisionResult> {
  const log = opts.log ?? (() => {});
  const client = new ProvisionClient(opts.serverUrl);
  await client.login(opts.adminUser, opts.adminPassword);
  const result: FleetProvisionResult = { vehicles: 0, crews: 0, disposalSites: 0, operators: 0, unsupported: [] };
  const put = async (path: string, bodies: unknown[], count: keyof Omit<FleetProvisionResult, 'unsupported'>) => {
    for (const body of bodies) {
      const outcome = await client.createIfAbsent(path, body);
      if (outcome === 'unsupported') {
        result.unsupported.push(path);
        log(`server has no ${path} yet: skipped`);
        return;
      }
      if (outcome === 'created') result[count]++;
    }
  };
  const crews = demoCrews(city);
  if (opts.crewPassword) {
    const members = [...crews.flatMap((c) => c.members ?? []), ...demoVehicles(city, opts.truckShift).flatMap((v) => v.members ?? [])];
    const accounts = members.map((username) => ({ username, password: opts.crewPassword, role: 'crew' }));
    await put('/api/auth/operators', accounts, 'operators');
  }
  await put('/api/disposal-sites', demoDisposalSites(city), 'disposalSites');
  await put('/api/vehicles', demoVehicles(city, opts.truckShift), 'vehicles');
  await put('/api/crews', crews, 'crews');
  return result;
}
