/**
 * The import graph's rules (`npm run lint` runs them, so CI does): no cycle, and the layering of the
 * developers' guide. Floors, lowest first:
 *
 *   functions/extract → functions/report → functions/pipeline   (domain code: no AWS SDK)
 *   → functions/stream → functions/api → functions/adapters → functions/handlers   (AWS wiring)
 *   lib/ (CDK), local/ (the local run), bin/ (the CLI), scripts/ and bench/ on top.
 *
 * A floor imports only floors below it (and itself). Type-only imports count: a cycle through types is
 * still a cycle for whoever reads the code.
 */
const FLOORS = ['extract', 'report', 'pipeline', 'stream', 'api', 'adapters', 'handlers'];

const above = (floor) => FLOORS.slice(FLOORS.indexOf(floor) + 1);

/** A rule that no file under `from` imports one under `to` (both path patterns from the root). */
const never = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

/** One rule per floor: nothing of a floor above it. */
const floorRules = FLOORS.slice(0, -1).map((floor) =>
  never(
    `floor-${floor}`,
    `^functions/${floor}/`,
    `^functions/(${above(floor).join('|')})/`,
    `functions/${floor} imports only floors below it, never functions/{${above(floor).join(',')}}`,
  ),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop (types included) cannot be read one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-no-aws',
      comment:
        'functions/extract, report and pipeline are domain code: no AWS SDK, Lambda types or Powertools ' +
        '(functions/adapters and functions/handlers wire AWS).',
      severity: 'error',
      from: { path: '^functions/(extract|report|pipeline)/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'],
        path: '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@types/aws-lambda|aws-cdk-lib|aws-cdk|constructs)/',
      },
    },
    never(
      'domain-no-wiring',
      '^functions/(extract|report|pipeline)/',
      '^(functions/(adapters|handlers)|lib|local|bin|scripts|bench)/',
      'Domain code imports nothing from the wiring above it.',
    ),
    ...floorRules,
    never(
      'functions-not-above',
      '^functions/',
      '^(lib|local|bin|scripts|bench|test)/',
      'What ships in a Lambda never imports the CDK app, the local run, the CLI, scripts, benches or tests.',
    ),
    never(
      'lib-not-local-or-cli',
      '^lib/',
      '^(local|bin|scripts|bench|test)/',
      'The CDK app knows nothing of the local run or the CLI.',
    ),
    never(
      'local-not-cli',
      '^local/',
      '^(bin|scripts|bench|test)/',
      'The local run is below the CLI that starts it.',
    ),
    {
      name: 'no-unresolvable',
      comment:
        'An import that resolves to nothing is a typo or a missing dependency (the pages in local/web import ' +
        'by the URL the local server answers, not by file).',
      severity: 'error',
      from: { pathNot: '^local/web/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // The roots are the layered folders (package.json's lint script names them); packages are leaves.
    exclude: { path: '^(cdk\\.out|\\.local|test/fixtures)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.d.ts', '.json'],
    },
  },
};
