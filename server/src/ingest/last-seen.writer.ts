import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { LOGGER, type Logger } from '../logging/logger.js';

/**
 * Coalesces sightings and writes them as one UPDATE per flush interval, instead of one UPDATE
 * per reading (10,000 devices × readings per second would swamp the registry).
 */
@Injectable()
export class LastSeenWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private pending = new Map<string, Date>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    private readonly devices: DevicesRepository,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'last-seen' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.LAST_SEEN_FLUSH_MS);
    this.timer.unref();
  }

  note(deviceId: string, at: Date): void {
    const previous = this.pending.get(deviceId);
    if (!previous || previous < at) this.pending.set(deviceId, at);
  }

  /** Writes what is pending; on failure keeps it for the next attempt. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.devices.touchLastSeen(batch);
      } catch (err) {
        this.logger.warn({ err, devices: batch.size }, 'last_seen_at update failed; will retry');
        for (const [id, at] of batch) this.note(id, at);
      }
    });
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
