import { OperatorError } from '../../problem.js';
import type { ClusterReader } from './cluster-reader.js';

/** The Elasticsearch majors opsbot speaks to (the 8.x client; 9.x through REST compatibility). */
export const SUPPORTED_MAJORS = [8, 9] as const;
/** In words, for the refusal and the README. */
export const SUPPORTED_RANGE = '8.0 up to 9.x';

/** A cluster of a release opsbot does not support: refused at start-up and at /es status. */
export class UnsupportedVersionError extends OperatorError {
  override name = 'UnsupportedVersionError';
  constructor(
    readonly cluster: string,
    readonly found: string,
  ) {
    super(
      `cluster ${cluster} runs Elasticsearch ${found}; opsbot supports ${SUPPORTED_RANGE}`,
      `Upgrade the cluster to 8.x or later, or take ${cluster} out of opsbot.yaml.`,
    );
  }
}

/** The refusal for this version number, or undefined when it is supported. */
export function versionProblem(cluster: string, number: string): UnsupportedVersionError | undefined {
  const major = Number(/^(\d+)\./.exec(number)?.[1]);
  return (SUPPORTED_MAJORS as readonly number[]).includes(major)
    ? undefined
    : new UnsupportedVersionError(cluster, number);
}

/** Reads the cluster's version (GET /) and throws UnsupportedVersionError when it is not supported. */
export async function requireSupportedVersion(reader: ClusterReader): Promise<string> {
  const info = await reader.call(() => reader.client.info());
  const number = info.version.number;
  const problem = versionProblem(reader.name, number);
  if (problem) throw problem;
  return number;
}
