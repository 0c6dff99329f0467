import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Most test time is spent waiting on real processes (redis, sshd, supervisord, git) and on
    // simulated time, not on CPU: three files at once on this 2-core machine take the suite from
    // about 7.8 to about 4 minutes, with every test green (the timing tests bound their waits).
    maxWorkers: 3,
    // Each worker keeps its module cache from file to file: importing the whole stack (Bolt, the AWS
    // SDK, BullMQ, the ES client) cost about 4.6 s of CPU per file, 716 s in all of 854 s of wall
    // time; without it the suite took 583 s (10.4 min of CPU instead of 16.5), every test green.
    // Nothing here keeps state in a module: each test builds its own harness, Redis prefix and ports.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The AWS SDK warns on every client that releases from 2027 need Node 22: known, and noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
