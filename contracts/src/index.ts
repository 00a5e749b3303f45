export * from './topics.js';
export * from './telemetry.js';
export * from './device-messages.js';
export * from './bus.js';
export * from './api/devices.js';
