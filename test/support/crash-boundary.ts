import type { ChildProcess } from 'node:child_process';
import { afterEach, expect } from 'vitest';
import { bob, type DrainHarness } from './drain-fixture.js';
import { eventually } from './wait.js';
import { exited, startWorkerProcess } from './worker-process.js';

/**
 * A worker process that SIGKILLs itself at a step boundary (OPSBOT_TEST_CRASH_ON, see
 * test/fixtures/worker-process.ts), then a second one that finishes the run. The harness and the
 * processes of each test are closed after it.
 */
export function crashAtBoundaries(): {
  use: (h: DrainHarness) => DrainHarness;
  crashThenFinish: (
    boundary: string,
    prefix: string,
    request: () => Promise<void>,
    sshEnv?: NodeJS.ProcessEnv,
  ) => Promise<{ ts: string }>;
} {
  const { use, children } = workersClosedAfterEach();
  let h: DrainHarness | undefined;
  return {
    use: (harness) => (h = use(harness)),
    async crashThenFinish(boundary, prefix, request, sshEnv = {}) {
      // Both booted at once (the slow part); the second takes no job until the first is gone.
      const [first, next] = await Promise.all([
        startWorkerProcess(h!, prefix, { ...sshEnv, OPSBOT_TEST_CRASH_ON: boundary }),
        startWorkerProcess(h!, prefix, sshEnv, { held: true }),
      ]);
      children.push(first, next);
      await request();
      const card = await h!.cardWithButton('run_approve');
      await h!.click('run_approve', bob, card);
      await exited(first);
      next.kill('SIGUSR2');
      await eventually(
        () => h!.threadTexts(card.ts).find((t) => t.includes(':tada:')),
        `the run to finish after a crash at ${boundary}`,
        40_000,
      );
      expect(h!.stack.slack.messages('C0OPS')).toHaveLength(1);
      return card;
    },
  };
}

/** A test's harness and worker processes, closed (killed) after each test. */
export function workersClosedAfterEach(): { use: (h: DrainHarness) => DrainHarness; children: ChildProcess[] } {
  let h: DrainHarness | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await h?.close();
    h = undefined;
  });
  return { use: (harness) => (h = harness), children };
}
