/** The Elasticsearch release the simulator answers as (GET /, nodes info, warning headers). */
export const ES_VERSION = {
  number: '8.17.0',
  build_flavor: 'default',
  build_type: 'tar',
  build_hash: '2b6a7fed44faa321997703718f07ee0420804b41',
  build_date: '2024-12-11T12:08:05.663969764Z',
  build_snapshot: false,
  lucene_version: '9.12.0',
  minimum_wire_compatibility_version: '7.17.0',
  minimum_index_compatibility_version: '7.0.0',
} as const;

export const TRANSPORT_VERSION = 8797002;
export const INDEX_VERSION = 8521000;

/** ES's deprecation Warning header value: 299 Elasticsearch-<version>-<hash> "<message>". */
export function warningHeader(message: string): string {
  return `299 Elasticsearch-${ES_VERSION.number}-${ES_VERSION.build_hash} "${message}"`;
}
