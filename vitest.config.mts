import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node (vitest). Browser tests are Playwright's (tests/e2e).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Most suites wait on real sockets and peers, not the CPU: one worker more than the cores keeps both busy
    // (on 2 cores Vitest's default, cores - 1, ran the files one at a time: 628 s against 218 s with 3).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
