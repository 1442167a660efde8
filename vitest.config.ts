import { defineConfig } from 'vitest/config';

// One run for unit, integration (real SoftHSM2) and end-to-end (real Chromium / Firefox) tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/corpus/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
