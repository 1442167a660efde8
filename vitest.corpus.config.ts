import { defineConfig } from 'vitest/config';

// The corpus check: every real certificate in ../shared/corpus/certs compared field by field with OpenSSL.
export default defineConfig({
  test: { include: ['test/corpus/**/*.test.ts'], testTimeout: 120_000 },
});
