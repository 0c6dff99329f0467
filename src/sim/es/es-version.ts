/**
 * The Elasticsearch release the simulator answers as (GET /, nodes info, _cat/nodes, warning
 * headers). A cluster can be built as an 8.x, a 9.x or an older release (to test that the bot
 * refuses it); the numbers beside the version are the ones that release reports.
 */
export interface EsVersionInfo {
  number: string;
  build_flavor: string;
  build_type: string;
  build_hash: string;
  build_date: string;
  build_snapshot: boolean;
  lucene_version: string;
  minimum_wire_compatibility_version: string;
  minimum_index_compatibility_version: string;
}

/**
 * What each major reports besides its number: Lucene and compatibility versions as 7.17, 8.17
 * and 9.1 report them; the 7.x and 9.x build hashes and dates are made up.
 */
const BY_MAJOR: Record<number, Omit<EsVersionInfo, 'number'> & { transport: number; index: number }> = {
  7: {
    build_flavor: 'default',
    build_type: 'tar',
    build_hash: '5fb4c050958a6b0b6a70a6fb3e616d0e390eaac3',
    build_date: '2024-10-28T10:01:10.066234131Z',
    build_snapshot: false,
    lucene_version: '8.11.3',
    minimum_wire_compatibility_version: '6.8.0',
    minimum_index_compatibility_version: '6.0.0-beta1',
    transport: 7172599,
    index: 7172599,
  },
  8: {
    build_flavor: 'default',
    build_type: 'tar',
    build_hash: '2b6a7fed44faa321997703718f07ee0420804b41',
    build_date: '2024-12-11T12:08:05.663969764Z',
    build_snapshot: false,
    lucene_version: '9.12.0',
    minimum_wire_compatibility_version: '7.17.0',
    minimum_index_compatibility_version: '7.0.0',
    transport: 8797002,
    index: 8521000,
  },
  9: {
    build_flavor: 'default',
    build_type: 'docker',
    build_hash: 'cd9dfa9d6f6f0e6ee7dd0a5e0b8d7b9da2d9f1f8',
    build_date: '2025-07-17T22:15:41.416416185Z',
    build_snapshot: false,
    lucene_version: '10.2.2',
    minimum_wire_compatibility_version: '8.19.0',
    minimum_index_compatibility_version: '8.0.0',
    transport: 9112003,
    index: 9033000,
  },
};

/** The release a simulated cluster answers as. */
export class EsVersion {
  readonly info: EsVersionInfo;
  readonly transportVersion: number;
  readonly indexVersion: number;
  readonly major: number;

  constructor(number = '8.17.0') {
    this.major = Number(number.split('.')[0]);
    const base = BY_MAJOR[this.major] ?? BY_MAJOR[8]!;
    const { transport, index, ...rest } = base;
    this.info = { number, ...rest };
    this.transportVersion = transport;
    this.indexVersion = index;
  }

  /** ES's deprecation Warning header value: 299 Elasticsearch-<version>-<hash> "<message>". */
  warning(message: string): string {
    return `299 Elasticsearch-${this.info.number}-${this.info.build_hash} "${message}"`;
  }
}

/** The default release (8.17.0), for code that has no cluster at hand. */
const DEFAULT = new EsVersion();
export const ES_VERSION: EsVersionInfo = DEFAULT.info;
export const TRANSPORT_VERSION = DEFAULT.transportVersion;
export const INDEX_VERSION = DEFAULT.indexVersion;

export function warningHeader(message: string): string {
  return DEFAULT.warning(message);
}
