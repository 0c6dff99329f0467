/** Operating the bot itself: health, metrics, the queue dashboard. Entry points wire these. */
export { BotMetrics, type BotMetricsOptions, type RunSource } from './metrics.js';
export { MetricsReporter } from './metrics-reporter.js';
export { TeeReporter } from './tee-reporter.js';
export { countingSlackFetch, logRateLimits, slackMethodOf, type SlackFetch } from './slack-metrics.js';
export { observeEsClient, esEndpointOf } from './es-metrics.js';
export { HealthChecks, redisPing, slackAuthTest, type HealthReport, type Check } from './health-checks.js';
export { queueDashboard, DASHBOARD_PATH } from './queue-dashboard.js';
export { opsRoutes, dispatchOps, type OpsRoute } from './ops-routes.js';
export { startOpsServer, type OpsServer } from './ops-server.js';
export { createOpsEndpoints, type OpsEndpoints, type OpsEndpointsOptions } from './ops-endpoints.js';
