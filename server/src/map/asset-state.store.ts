import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DeviceStateEvent, ReadingValues, TruckPositionEvent } from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { DomainEvents } from '../events/domain-events.js';

/** What the map knows of one device between its events. */
export interface LatestState {
  /** Time and values of the latest reading; null while only a presence change was heard. */
  ts: number | null;
  values: ReadingValues | null;
  online: boolean;
}

/**
 * Latest state per device and latest position per truck, as the rules engine announces them on
 * DomainEvents (after it dropped stale and duplicate readings, so arrival order is the order to
 * keep). In memory: after a restart it fills again with the next readings.
 */
@Injectable()
export class AssetStateStore implements OnModuleInit, OnApplicationShutdown {
  private readonly states = new Map<string, LatestState>();
  private readonly trucks = new Map<string, TruckPositionEvent>();
  private subscription: Subscription | undefined;

  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe((event) => {
      if (event.type === 'device') this.onDevice(event.state);
      else if (event.type === 'truck') this.onTruck(event.position);
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  get(deviceId: string): LatestState | undefined {
    return this.states.get(deviceId);
  }

  truckPositions(): IterableIterator<TruckPositionEvent> {
    return this.trucks.values();
  }

  private onDevice(state: DeviceStateEvent): void {
    const known = this.states.get(state.deviceId);
    // The offline detector announces a silent device with empty values: that changes only presence.
    if (Object.keys(state.values).length === 0) {
      this.states.set(state.deviceId, { ts: known?.ts ?? null, values: known?.values ?? null, online: state.online });
      return;
    }
    this.states.set(state.deviceId, { ts: state.ts, values: state.values, online: state.online });
  }

  private onTruck(position: TruckPositionEvent): void {
    const known = this.trucks.get(position.deviceId);
    if (known && known.ts > position.ts) return;
    this.trucks.set(position.deviceId, position);
  }
}
