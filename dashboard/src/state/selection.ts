import type { DeviceKind } from '@sanitation/contracts';
import { Store } from './store';

/** The asset whose panel is open (clicked on the map, or picked from a job or alarm). */
export interface Selection {
  id: string;
  kind: DeviceKind | null;
  /** Where it is, so the map can fly there when the selection came from a list. */
  lat?: number;
  lon?: number;
}

export const selection = new Store<Selection | null>(null);

export function select(next: Selection | null): void {
  selection.set(next);
}
