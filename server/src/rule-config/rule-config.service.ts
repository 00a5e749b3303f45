import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DEVICE_KINDS,
  KIND_ONLY_FIELDS,
  RULE_DEFAULTS,
  ruleOverrideSchemas,
  ruleParamsProblems,
  type DeviceKind,
  type EffectiveRulesResponse,
  type RuleOverride,
  type RuleParams,
  type RulesResponse,
  type RuleScope,
} from '@sanitation/contracts';
import { issuePath } from '../common/zod-validation.pipe.js';
import { DeviceDirectory } from '../devices/device-directory.js';
import { RuleConfigException, RuleConfigExceptionCode } from './rule-config.exception.js';
import { RuleConfigRepository } from './rule-config.repository.js';

type Params = Record<string, number | boolean>;
type Sources = EffectiveRulesResponse['sources'];
export interface Effective<K extends DeviceKind = DeviceKind> {
  params: RuleParams<K>;
  sources: Sources;
}

const key = (kind: string, scope: RuleScope, target: string | null): string => `${kind}|${scope}|${target ?? ''}`;

/**
 * Rule thresholds: defaults ← kind ← zone ← device. The latest override versions are held in
 * memory and effective parameter sets cached per (kind, zone, device), so the per-reading path
 * never queries; any change clears the cache and tells the listeners (the rules engine).
 */
@Injectable()
export class RuleConfigService implements OnModuleInit {
  private overrides = new Map<string, RuleOverride>();
  private readonly cache = new Map<string, Effective>();
  private readonly listeners: ((kind: DeviceKind) => void)[] = [];

  constructor(
    private readonly repository: RuleConfigRepository,
    private readonly directory: DeviceDirectory,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Re-reads the latest versions (changes made by another server instance). */
  async reload(): Promise<void> {
    const latest = await this.repository.latest();
    this.overrides = new Map(latest.map((o) => [key(o.kind, o.scope, o.target), o]));
    this.cache.clear();
    for (const kind of DEVICE_KINDS) for (const l of this.listeners) l(kind);
  }

  /** Called after every change of a kind's parameters (any scope). */
  onChange(listener: (kind: DeviceKind) => void): void {
    this.listeners.push(listener);
  }

  /** Effective parameters of a device (or a zone, or the kind). O(1) after the first call. */
  effective<K extends DeviceKind>(kind: K, zone: string | null = null, deviceId: string | null = null): Effective<K> {
    const cacheKey = `${kind}|${zone ?? ''}|${deviceId ?? ''}`;
    let hit = this.cache.get(cacheKey);
    if (!hit) {
      hit = this.compute(kind, [
        ['kind', this.overrides.get(key(kind, 'kind', null))?.params],
        ['zone', zone === null ? undefined : this.overrides.get(key(kind, 'zone', zone))?.params],
        ['device', deviceId === null ? undefined : this.overrides.get(key(kind, 'device', deviceId))?.params],
      ]);
      this.cache.set(cacheKey, hit);
    }
    return hit as Effective<K>;
  }

  describe(): RulesResponse {
    return {
      defaults: RULE_DEFAULTS as unknown as RulesResponse['defaults'],
      overrides: [...this.overrides.values()].sort((a, b) => key(a.kind, a.scope, a.target).localeCompare(key(b.kind, b.scope, b.target))),
      kindOnlyFields: KIND_ONLY_FIELDS,
    };
  }

  effectiveFor(kind: DeviceKind, query: { deviceId?: string | undefined; zone?: string | undefined }): EffectiveRulesResponse {
    let zone = query.zone ?? null;
    const deviceId = query.deviceId ?? null;
    if (deviceId !== null) {
      const device = this.directory.get(deviceId);
      if (!device) throw new RuleConfigException(RuleConfigExceptionCode.DEVICE_NOT_FOUND, `deviceId: device "${deviceId}" not found`);
      if (device.kind !== kind) throw new RuleConfigException(RuleConfigExceptionCode.WRONG_KIND, `deviceId: "${deviceId}" is a ${device.kind}, not a ${kind}`);
      zone ??= device.zone;
    }
    const { params, sources } = this.effective(kind, zone, deviceId);
    return { kind, zone, deviceId, params: { ...params }, sources };
  }

  /**
   * Writes a new version of one override: the previous version's fields, changed by `body`
   * (`null` removes a field). Refuses (400 naming the field) unknown fields, bad values, kind-only
   * fields at zone/device scope, and a result that breaks a cross-field rule (clear ≥ raise level).
   */
  async put(kind: DeviceKind, scope: RuleScope, target: string | null, body: unknown, by: string): Promise<RuleOverride> {
    const parsed = ruleOverrideSchemas[kind].safeParse(body);
    if (!parsed.success) {
      const shown = parsed.error.issues.slice(0, 5).map((i) => `${issuePath(i.path)}: ${i.message}`);
      throw new RuleConfigException(RuleConfigExceptionCode.INVALID_PARAMS, shown.join('; '));
    }
    const changes = parsed.data as Record<string, number | boolean | null | undefined>;
    if (scope !== 'kind') {
      const kindOnly = Object.keys(changes).filter((f) => KIND_ONLY_FIELDS.includes(f));
      if (kindOnly.length) {
        throw new RuleConfigException(RuleConfigExceptionCode.KIND_ONLY_FIELD, kindOnly.map((f) => `${f}: can be set per kind only (PUT /api/rules/${kind})`).join('; '));
      }
    }
    let zoneOfDevice: string | null = null;
    if (scope === 'device') {
      await this.directory.ready();
      const device = this.directory.get(target!);
      if (!device) throw new RuleConfigException(RuleConfigExceptionCode.DEVICE_NOT_FOUND, `deviceId: device "${target}" not found`);
      if (device.kind !== kind) throw new RuleConfigException(RuleConfigExceptionCode.WRONG_KIND, `deviceId: "${target}" is a ${device.kind}, not a ${kind}`);
      zoneOfDevice = device.zone;
    }
    const previous = this.overrides.get(key(kind, scope, target))?.params ?? {};
    const next: Params = { ...previous };
    for (const [field, value] of Object.entries(changes)) {
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    // Judge the level being written as it would apply (its parents included).
    const layers: [RuleScope, Params | undefined][] = [['kind', scope === 'kind' ? next : this.overrides.get(key(kind, 'kind', null))?.params]];
    if (scope === 'zone') layers.push(['zone', next]);
    if (scope === 'device') {
      if (zoneOfDevice !== null) layers.push(['zone', this.overrides.get(key(kind, 'zone', zoneOfDevice))?.params]);
      layers.push(['device', next]);
    }
    const problems = ruleParamsProblems(kind, this.compute(kind, layers).params as Params);
    if (problems.length) {
      throw new RuleConfigException(RuleConfigExceptionCode.INVALID_PARAMS, problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    }
    const saved = await this.repository.append(kind, scope, target, next, by);
    this.overrides.set(key(kind, scope, target), saved);
    this.cache.clear();
    for (const l of this.listeners) l(kind);
    return saved;
  }

  history(filter: { kind?: DeviceKind | undefined; scope?: RuleScope | undefined; target?: string | undefined; limit: number }): Promise<RuleOverride[]> {
    return this.repository.history(filter);
  }

  private compute(kind: DeviceKind, layers: [RuleScope, Params | undefined][]): Effective {
    const params: Params = { ...RULE_DEFAULTS[kind] };
    const sources: Sources = Object.fromEntries(Object.keys(params).map((f) => [f, 'default' as const]));
    for (const [scope, layer] of layers) {
      if (!layer) continue;
      for (const [field, value] of Object.entries(layer)) {
        if (!(field in params)) continue; // a field dropped from the defaults since it was stored
        if (scope !== 'kind' && KIND_ONLY_FIELDS.includes(field)) continue;
        params[field] = value;
        sources[field] = scope;
      }
    }
    return { params: Object.freeze(params) as unknown as RuleParams, sources };
  }
}
