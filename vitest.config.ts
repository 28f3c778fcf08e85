import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'cloud/test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts', 'cloud/test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests start real processes and servers; two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
