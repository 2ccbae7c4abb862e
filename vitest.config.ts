import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Extraction runs pdf.js in worker threads; the fixture sweep over ~130 files needs more than 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run coverage`: what the tests run of the shipped code and the local harness. Code run in child
    // processes (the CLI tests) and in the extractor's worker threads is not counted.
    coverage: {
      provider: 'v8',
      include: ['functions/**/*.ts', 'bin/**/*.ts', 'local/**/*.ts', 'lib/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportOnFailure: true,
    },
  },
});
