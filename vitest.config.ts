import { defineConfig } from 'vitest/config';

// One run for unit, integration (real SoftHSM2) and end-to-end (real Chromium / Firefox) tests, and the
// packages as installed (test/packaging). The native-messaging suite (test/integration/host) runs twice:
// against the bundled host run by Node, and against the single executable (CAS_TOKEN_TEST_HOST).
const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'default',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/corpus/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'single-executable',
          include: ['test/integration/host/**/*.test.ts'],
          env: { CAS_TOKEN_TEST_HOST: 'single-executable' },
        },
      },
    ],
  },
});
