import { defineConfig } from 'vitest/config';

// The JSON report feeds the `tests: N passed, M failed` line printed by .ci/run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
