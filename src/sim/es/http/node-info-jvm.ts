import { hashString } from '../rng.js';
import type { SimNode } from '../types.js';

const HEAP_BYTES = 4 * 1024 ** 3;

/**
 * The `jvm` section of a `_nodes` entry (JvmInfo in ES 8: served for `_nodes`, `_nodes/jvm` and
 * `_nodes/_all`). Static facts of the running JVM; `start_time_in_millis` and `pid` belong to the
 * node's current process, so they change on every restart while the node id stays.
 */
export function jvmInfo(node: SimNode, human: boolean): Record<string, unknown> {
  const startedAt = node.jvmStartedAtMs;
  return {
    pid: 1000 + (hashString(`${node.id}/${startedAt}`) % 60_000),
    version: '23.0.1',
    vm_name: 'OpenJDK 64-Bit Server VM',
    vm_version: '23.0.1+11-39',
    vm_vendor: 'Oracle Corporation',
    bundled_jdk: true,
    using_bundled_jdk: true,
    ...(human ? { start_time: new Date(startedAt).toISOString() } : {}),
    start_time_in_millis: startedAt,
    mem: {
      heap_init_in_bytes: HEAP_BYTES,
      heap_max_in_bytes: HEAP_BYTES,
      non_heap_init_in_bytes: 7667712,
      non_heap_max_in_bytes: 0,
      direct_max_in_bytes: 0,
    },
    gc_collectors: ['G1 Young Generation', 'G1 Concurrent GC', 'G1 Old Generation'],
    memory_pools: ['CodeHeap', 'Metaspace', 'CodeCache', 'Compressed Class Space', 'G1 Eden Space', 'G1 Old Gen'],
    using_compressed_ordinary_object_pointers: 'true',
    input_arguments: ['-Xms4g', '-Xmx4g', '-XX:+UseG1GC'],
  };
}
