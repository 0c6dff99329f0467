/**
 * ETL settings files as ActiveData-ETL lays them out (resources/settings/*.json): a work queue,
 * workers that read a source bucket and write a destination bucket or an ES index, `notify`
 * queues, `$ref`s to private credentials, `//` comments and a debug section whose log sinks are
 * not the ETL's data.
 */
export interface EtlWorkerFixture {
  name: string;
  source: string;
  /** A bucket, or an ES table (alias). */
  destination: { bucket: string } | { index: string };
  notify?: string;
}

export function etlSettingsFileText(o: { workQueue?: string; workers: EtlWorkerFixture[] }): string {
  const worker = (w: EtlWorkerFixture) => {
    const dest =
      'bucket' in w.destination
        ? `{\n\t\t\t\t"$ref": "file://~/private.json#aws_credentials",\n\t\t\t\t"bucket": "${w.destination.bucket}",\n\t\t\t\t"key_format": "a:b.c"\n\t\t\t}`
        : `{\n\t\t\t\t"host": "http://localhost",\n\t\t\t\t"port": 9200,\n\t\t\t\t"index": "${w.destination.index}",\n\t\t\t\t"type": "test_result",\n\t\t\t\t"timeout": 300,   // SECONDS\n\t\t\t\t"schema": {"$ref": "//../schema/test_results.json"}\n\t\t\t}`;
    return `\t\t{
\t\t\t"name": "${w.name}",
\t\t\t"source": {
\t\t\t\t"$ref": "file://~/private.json#aws_credentials",
\t\t\t\t"bucket": "${w.source}",
\t\t\t\t"key_format": "a:b"
\t\t\t},
\t\t\t"destination": ${dest},${w.notify ? `\n\t\t\t"notify": {\n\t\t\t\t"name": "${w.notify}",\n\t\t\t\t"$ref": "file://~/private.json#aws_credentials"\n\t\t\t},` : ''}
\t\t\t"transformer": "testlog_etl.transforms.${w.name.replace(/\W/g, '_')}.process",
\t\t\t"type": "join"
\t\t}`;
  };
  return `{
\t"work_queue": {
\t\t"name": "${o.workQueue ?? 'active-data-etl'}",
\t\t"$ref": "file://~/private.json#aws_credentials"
\t},
\t"param": {
\t\t"threads": 4,
\t\t"wait_forever": true,
\t\t"keep_unknown_on_queue": false   // OLD CODE DELETES WHAT IT HAS NO WORKER FOR
\t},
\t"workers": [
${o.workers.map(worker).join(',\n')}
\t],
\t"debug": {
\t\t"trace": true,
\t\t"log": [
\t\t\t{"log_type": "console"},
\t\t\t{"log_type": "elasticsearch", "host": "http://localhost", "port": 9200, "index": "debug-etl", "type": "etl"}
\t\t]
\t}
}
`;
}

/** The ETL of the runbook's day: pulse logs to test results, test results to ES. */
export const BASE_WORKERS: EtlWorkerFixture[] = [
  {
    name: 'pulse2test_result',
    source: 'ekyle-pulse-logger',
    destination: { bucket: 'ekyle-test-result' },
    notify: 'active-data-index',
  },
  { name: 'unittest2es', source: 'ekyle-test-result', destination: { index: 'unittest' } },
];

/** A new pipeline, as the runbook's deployment exists for: new bucket, new queue, new table. */
export const PERF_WORKERS: EtlWorkerFixture[] = [
  {
    name: 'pulse2perf',
    source: 'ekyle-pulse-logger',
    destination: { bucket: 'active-data-perfherder' },
    notify: 'active-data-index-perfherder',
  },
  { name: 'perf2es', source: 'active-data-perfherder', destination: { index: 'perf' } },
];
