import { defineConfig } from '@playwright/test';

// The Electron tray app, driven through Playwright's _electron. These tests run only where the
// Electron binary and a display exist, and skip with the reason elsewhere (test/e2e-electron).
export default defineConfig({
  testDir: 'test/e2e-electron',
  outputDir: 'test-results/electron',
  reporter: [['list']],
  // One Electron app at a time: each holds a single-instance lock and a tray icon.
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
});
