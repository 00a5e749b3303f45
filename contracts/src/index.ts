export * from './topics.js';
export * from './telemetry.js';
export * from './device-messages.js';
export * from './bus.js';
export * from './api/devices.js';
export * from './api/dispatch.js';
export * from './live.js';
