// Unit tests live beside the code (`*.test.ts`); integration tests that use real SQLite files, git
// repositories, keychains and loopback servers live in tests/integration. Browser tests are
// Playwright's (tests/e2e) and are not run here.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'main/**/*.test.ts',
      'shared/**/*.test.ts',
      'preload/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'tests/integration/**/*.test.ts',
      'build/**/*.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
