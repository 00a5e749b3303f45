import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  deviceCommandSchema,
  deviceTopic,
  STREETLIGHT_ONLY_ACTIONS,
  type DeviceCommand,
  type DeviceCommandList,
  type DeviceCommandRecord,
  type ListCommandsQuery,
  type SendCommandRequest,
} from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { ReadingsConsumer, type ReceivedCommandAck } from '../ingest/readings.consumer.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { TaskRegistry } from '../scheduler/task.registry.js';
import { CommandsException, CommandsExceptionCode } from './commands.exception.js';
import { CommandsRepository } from './commands.repository.js';

export const COMMANDS_DEFAULTS = {
  /** Wall ms a device has to answer before its command shows 'timeout'. Wall, not server clock:
   * at a simulated 1440× a 30 s sim timeout would be 21 ms of real round trip. */
  ackTimeoutMs: 30_000,
  /** Wall ms between sweeps that turn overdue commands into 'timeout'. */
  expireEveryMs: 5_000,
};

export interface CommandsOptions {
  ackTimeoutMs: number;
  /** Wall time for the ack deadline (tests may replace it). */
  wallNow: () => number;
}

const EXPIRE_TASK = 'commands-expire';

/**
 * Device commands: a record per command (who, when, status), published QoS 1 to the device's
 * `cmd` topic through every gateway, settled by the device's `cmd/ack`. Timeouts are applied both
 * by a periodic task and lazily before every read, so a read never shows a stale 'sent'.
 */
@Injectable()
export class CommandsService implements OnModuleInit, OnModuleDestroy {
  /** Mutable so tests can shorten the timeout; production uses the defaults. */
  readonly options: CommandsOptions = { ackTimeoutMs: COMMANDS_DEFAULTS.ackTimeoutMs, wallNow: () => Date.now() };
  readonly stats = { acksApplied: 0, acksUnmatched: 0, ackErrors: 0 };
  private readonly logger: Logger;
  private subscription?: Subscription;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly repository: CommandsRepository,
    private readonly devices: DevicesRepository,
    private readonly consumer: ReadingsConsumer,
    private readonly tasks: TaskRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'commands' });
  }

  onModuleInit(): void {
    this.tasks.register({
      name: EXPIRE_TASK,
      everyMs: COMMANDS_DEFAULTS.expireEveryMs,
      run: () => this.repository.expire(this.options.wallNow()).then(() => undefined),
    });
    this.subscription = this.consumer.commandAcks$.subscribe((ack) => {
      const work = this.applyAck(ack).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  async send(deviceId: string, request: SendCommandRequest, requestedBy: string): Promise<DeviceCommandRecord> {
    const device = await this.devices.findById(deviceId);
    if (!device) throw new CommandsException(CommandsExceptionCode.DEVICE_NOT_FOUND, `device "${deviceId}" not found`);
    if (device.status !== 'active') throw new CommandsException(CommandsExceptionCode.DEVICE_REVOKED, `device "${deviceId}" is revoked`);
    if (device.kind !== 'streetlight' && STREETLIGHT_ONLY_ACTIONS.includes(request.action)) {
      throw new CommandsException(
        CommandsExceptionCode.ACTION_NOT_SUPPORTED,
        `action "${request.action}" is for streetlights; device "${deviceId}" is a ${device.kind} (it takes ping only)`,
      );
    }
    const cmdId = randomUUID();
    const command: DeviceCommand = deviceCommandSchema.parse({ cmdId, ...request });
    const record = await this.repository.insert({
      cmdId,
      deviceId,
      action: request.action,
      dimPct: request.action === 'dim' ? request.dimPct : null,
      requestedBy,
      sentAt: this.clock.now(),
      deadlineAt: this.options.wallNow() + this.options.ackTimeoutMs,
    });
    try {
      await this.consumer.publish(deviceTopic(device.kind, deviceId, 'cmd'), JSON.stringify(command));
    } catch (err) {
      const reason = `not delivered: ${(err as Error).message}`;
      await this.repository.markUndelivered(cmdId, reason);
      this.logger.warn({ deviceId, cmdId, reason }, 'command not delivered');
      throw new CommandsException(CommandsExceptionCode.GATEWAY_UNAVAILABLE, `command ${cmdId} to "${deviceId}" ${reason}`);
    }
    this.logger.info({ deviceId, cmdId, action: request.action, requestedBy }, 'command sent');
    return record;
  }

  async list(deviceId: string, query: ListCommandsQuery): Promise<DeviceCommandList> {
    await this.requireDevice(deviceId);
    await this.repository.expire(this.options.wallNow(), deviceId);
    return this.repository.list(deviceId, query.limit, query.offset);
  }

  async get(deviceId: string, cmdId: string): Promise<DeviceCommandRecord> {
    await this.requireDevice(deviceId);
    await this.repository.expire(this.options.wallNow(), deviceId);
    const record = await this.repository.find(deviceId, cmdId);
    if (!record) throw new CommandsException(CommandsExceptionCode.COMMAND_NOT_FOUND, `command "${cmdId}" of device "${deviceId}" not found`);
    return record;
  }

  /** Never throws: an ack for an unknown command is counted and logged; a DB error likewise. */
  private async applyAck({ deviceId, ack }: ReceivedCommandAck): Promise<void> {
    try {
      const changed = await this.repository.settle(deviceId, ack.cmdId, ack.ok, ack.ok ? null : (ack.error ?? 'device reported failure'), this.clock.now(), ack.ts);
      if (changed) {
        this.stats.acksApplied++;
        this.logger.info({ deviceId, cmdId: ack.cmdId, status: changed.status }, 'command acknowledged');
      } else {
        this.stats.acksUnmatched++;
        this.logger.debug({ deviceId, cmdId: ack.cmdId }, 'cmd/ack matches no open command (duplicate, or not ours)');
      }
    } catch (err) {
      this.stats.ackErrors++;
      this.logger.error({ deviceId, cmdId: ack.cmdId, err }, 'failed to apply cmd/ack');
    }
  }

  private async requireDevice(deviceId: string): Promise<void> {
    if (!(await this.devices.findById(deviceId))) throw new CommandsException(CommandsExceptionCode.DEVICE_NOT_FOUND, `device "${deviceId}" not found`);
  }
}
