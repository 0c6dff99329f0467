export {
  layOutSpotManagerHost,
  pushUpstream,
  type SpotManagerHost,
  type SpotManagerHostOptions,
} from './host-fixture.js';
export { runCronTick } from './cron-tick.js';
export { etlSettingsText, esSettingsText, type EtlSettingsFixture } from './settings-fixture.js';
export { runSpotManagerOnce, BROKEN_SETUP_TAG, type StandInClients, type StandInTiming } from './stand-in.js';
export { SpotLog, logTime, pyFloat, pyList } from './spot-log.js';
export { readStandInSettings } from './stand-in-settings.js';
