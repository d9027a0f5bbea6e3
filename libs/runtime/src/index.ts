// Public surface of the process plumbing shared by the apps.
export * from './config.js';
export * from './logger.js';
export * from './ops-server.js';
export * from './shutdown.js';
export * from './cli.js';
export * from './startup.js';
