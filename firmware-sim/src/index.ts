/** Library entry: run a simulated fleet from tests or scripts (`createSimulation`), or just the city. */
export { createSimulation, parseSimulationOptions } from './simulation.js';
export type { Simulation, SimStats, DeviceStats, DeviceHandle } from './simulation.js';
export { SIM_DEFAULTS, simulationOptionsSchema } from './simulation.options.js';
export type { SimulationOptions, ResolvedSimulationOptions } from './simulation.options.js';
export { generateCity, HANGZHOU, DISPOSAL_RADIUS_M } from './city/city.generator.js';
export { cityToGeoJson, cityToDeviceImport, cityToBasemap } from './city/city-geojson.exporter.js';
export type { City, DeviceSpec, Zone, Cabinet, Site, StreetNode, StreetEdge, CityOptions } from './city/city.types.js';
export { FAULT_TYPES, FAULT_TARGET_KINDS, FAST_FILL_DEFAULT_PCT_H, parseFaultList, parseDuration } from './faults/fault.types.js';
export type { FaultSpec, FaultType } from './faults/fault.types.js';
export type { ActiveFault } from './faults/fault.injector.js';
export type { FirmwareCounters } from './firmware/device-firmware.js';
export { provisionFleet } from './provision/provision.service.js';
export { provisionUnits, demoCrews, demoVehicles, demoDisposalSites } from './provision/fleet.provision.js';
export type { FleetProvisionOptions, FleetProvisionResult } from './provision/fleet.provision.js';
export { WORLD_DEFAULTS } from './physics/world.js';
export type { WorldOptions } from './physics/world.js';
export { SimError, SimErrorCode } from './shared/sim.exception.js';
export { writeStatsFile, type StatsFile } from './stats/stats.writer.js';
