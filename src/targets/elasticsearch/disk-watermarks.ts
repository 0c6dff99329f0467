/**
 * ES's disk watermarks as free bytes a node must keep. A watermark is a used share ("85%",
 * "0.85") or the free space itself ("200gb"); a share is capped by its `max_headroom` (ES 8),
 * which applies when the headroom is set or when the watermark itself is left at its default.
 */
export interface Watermark {
  /** `cluster.routing.allocation.disk.watermark.low` etc. */
  setting: string;
  raw: string;
  /** Free bytes a node with a disk of `total` bytes must keep. */
  requiredFree(total: number): number;
  /** For people: "85%", "85% (at most 200gb free)" or "200gb free". */
  describe(): string;
}

const UNIT: Record<string, number> = { b: 0, kb: 1, mb: 2, gb: 3, tb: 4, pb: 5 };

/** ES's byte size values ("500gb", "1.5tb", "0"); undefined when it is not one. */
export function parseByteSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?$/.exec(value.trim().toLowerCase());
  if (!m || (m[2] === undefined && Number(m[1]) !== 0)) return undefined;
  return Number(m[1]) * 1024 ** UNIT[m[2] ?? 'b']!;
}

/**
 * RelativeByteSizeValue: a value not ending in "b" is first tried as a percentage or a ratio in
 * [0, 1]; otherwise it is a byte size of free space. Returns the used percentage or the free bytes.
 */
export function parseWatermarkValue(raw: string, setting: string): { usedPercent: number } | { freeBytes: number } {
  const v = raw.trim().toLowerCase();
  if (!v.endsWith('b')) {
    const ratio = v.endsWith('%') ? Number(v.slice(0, -1)) : Number(v) * 100;
    if (v !== '' && Number.isFinite(ratio) && ratio >= 0 && ratio <= 100) return { usedPercent: ratio };
  }
  const freeBytes = parseByteSize(v);
  if (freeBytes === undefined)
    throw new Error(`${setting} = "${raw}" is neither a percentage, a ratio nor a byte size: check /es settings`);
  return { freeBytes };
}

/** One watermark from its effective value and its headroom (undefined: the headroom does not apply). */
export function watermark(setting: string, raw: string, headroomRaw: string | undefined): Watermark {
  const parsed = parseWatermarkValue(raw, setting);
  if ('freeBytes' in parsed)
    return { setting, raw, requiredFree: () => parsed.freeBytes, describe: () => `${raw} free` };
  const headroom = headroomRaw === undefined ? undefined : parseByteSize(headroomRaw);
  const byShare = (total: number) => Math.ceil((total * (100 - parsed.usedPercent)) / 100);
  return {
    setting,
    raw,
    requiredFree: (total) =>
      headroom === undefined || headroom < 0 ? byShare(total) : Math.min(byShare(total), headroom),
    describe: () => (headroom === undefined || headroom < 0 ? raw : `${raw} (at most ${headroomRaw} free)`),
  };
}
