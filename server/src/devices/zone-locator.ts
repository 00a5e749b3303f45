/**
 * Finds the zone containing a point. Provided by the (global) zones module; devices use it to take
 * their zone from their location when a registration names none.
 */
export interface ZoneLocator {
  /** Zone id containing (lon, lat), or null. */
  locate(lon: number, lat: number): string | null;
}

export const ZONE_LOCATOR = Symbol('ZONE_LOCATOR');
