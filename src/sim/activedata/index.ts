/** A test ActiveData frontend: git origin + checkout + a private supervisord running the service. */
export { startFrontendHost, type FrontendHost, type FrontendServiceConfig } from './frontend-host.js';
export { SERVICE_PROGRAM, TEST_SECRET } from './frontend-files.js';
