import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Extraction runs pdf.js in worker threads; the fixture sweep over ~130 files needs more than 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core. Vitest's run-mode default is one less than the cores, which on the 2-core
    // CI machine is a single file at a time, and much of this suite waits (servers, child processes,
    // watched folders, budgets' deadlines) rather than computes: the whole suite under coverage took
    // 611 s one file at a time and 432 s two at a time on the same machine, with the same results.
    maxWorkers: '100%',
    // `npm run coverage`: what the tests run of the shipped code and the local harness. Code run in child
    // processes (the CLI tests) and in the extractor's worker threads is not counted.
    coverage: {
      provider: 'v8',
      include: ['functions/**/*.ts', 'bin/**/*.ts', 'local/**/*.ts', 'lib/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportOnFailure: true,
      // Today's levels, per folder, rounded down less one point (paths taken only under load, such as a
      // budget's deadline, come and go): the run fails when a folder falls below its own (a folder cannot
      // hide behind another's coverage); the top level holds for all files, new folders included. Raise
      // them when coverage rises. .ci/run runs the suite with --coverage, so CI enforces them. Low on
      // purpose, with the reason: bin/ (the CLI tests run it as a child process, which V8 coverage does
      // not follow) and functions/extract/ocr (the OCR runs in the extraction's worker processes).
      thresholds: {
        statements: 76,
        branches: 68,
        functions: 81,
        lines: 78,
        'functions/adapters/**': { statements: 83, branches: 65, functions: 87, lines: 86 },
        'functions/analytics/**': { statements: 84, branches: 74, functions: 82, lines: 87 },
        'functions/api/**': { statements: 93, branches: 82, functions: 97, lines: 96 },
        'functions/extract/**': { statements: 59, branches: 50, functions: 62, lines: 61 },
        'functions/extract/ocr/**': { statements: 38, branches: 28, functions: 26, lines: 40 },
        'functions/handlers/**': { statements: 80, branches: 73, functions: 78, lines: 81 },
        'functions/pipeline/**': { statements: 96, branches: 87, functions: 98, lines: 97 },
        'functions/report/**': { statements: 96, branches: 86, functions: 98, lines: 98 },
        'functions/stream/**': { statements: 96, branches: 80, functions: 99, lines: 99 },
        'functions/webhooks/**': { statements: 88, branches: 80, functions: 91, lines: 91 },
        'bin/**': { statements: 7, branches: 7, functions: 7, lines: 7 },
        'lib/**': { statements: 91, branches: 78, functions: 95, lines: 93 },
        'local/**': { statements: 81, branches: 70, functions: 84, lines: 84 },
      },
    },
  },
});
