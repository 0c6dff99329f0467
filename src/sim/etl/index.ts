export { layOutEtlRepo, ETL_SETTINGS_FILE, type EtlRepoHost } from './etl-repo-fixture.js';
export { etlSettingsFileText, BASE_WORKERS, PERF_WORKERS, type EtlWorkerFixture } from './etl-settings-fixture.js';
