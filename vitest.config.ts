import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Most test time is spent waiting on real processes (redis, sshd, supervisord, git) and on
    // simulated time, not on CPU: three files at once on this 2-core machine take the suite from
    // about 7.8 to about 4 minutes, with every test green (the timing tests bound their waits).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The AWS SDK warns on every client that releases from 2027 need Node 22: known, and noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
