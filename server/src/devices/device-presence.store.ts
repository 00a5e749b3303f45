import { Injectable } from '@nestjs/common';
import type { DeviceStatus } from '@sanitation/contracts';

/**
 * Online/offline per device as last announced on its retained MQTT `status` topic (the will is
 * `offline`). In memory only: after a restart the brokers resend the retained values.
 */
@Injectable()
export class DevicePresenceStore {
  private readonly online = new Map<string, boolean>();

  set(deviceId: string, status: DeviceStatus): void {
    this.online.set(deviceId, status === 'online');
  }

  get(deviceId: string): boolean | undefined {
    return this.online.get(deviceId);
  }

  counts(): { online: number; offline: number } {
    let online = 0;
    for (const value of this.online.values()) if (value) online++;
    return { online, offline: this.online.size - online };
  }
}
