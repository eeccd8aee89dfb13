import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';

// The specs that start the auto dialer (STR DIALSVC) on its default SIP port, DIALER.LOCAL_PORT 10000, as a
// person does: one at a time, beside the others.
const DIALER_SPECS = /(console-a11y|console-a11y-review|console-changes|dialer[a-z-]*)\.spec\.ts$/;

// Browser tests drive Debian's Chromium (never a downloaded browser).
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  retries: 0,
  // Each spec starts its own server on free ports and its own data folder, so specs run side by side (a spec's
  // tests stay in order in one worker): 4.1 min on 2 cores against 7.0 one at a time.
  workers: Math.max(2, availableParallelism()),
  reporter: [['list']],
  projects: [
    { name: 'dialer', testMatch: DIALER_SPECS, workers: 1 },
    { name: 'console', testIgnore: DIALER_SPECS },
  ],
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
});
