/**
 * The tests' one poller. Polls `probe` every 25 ms until it returns a value other than undefined
 * or false, and returns that value; a probe that throws is tried again (the last error is named).
 * Fails naming `what` at the deadline.
 */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const why = last instanceof Error ? last.message : String(last);
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${why})` : ''}`);
}
