import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Extraction runs pdf.js in worker threads; the fixture sweep over ~130 files needs more than 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
