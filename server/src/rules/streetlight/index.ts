// Streetlight rules: pure functions and small in-memory detectors, not yet wired into Nest.
export * from './streetlight-conditions.js';
export * from './local-clock.js';
export * from './lighting-schedule.js';
export * from './lamp-fault.rule.js';
export * from './cycling.rule.js';
export * from './cabinet-aggregation.js';
export * from './streetlight.rules.js';
