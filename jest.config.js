// One jest run for the whole workspace; the test tier is in the file name.
// @swc/jest only strips types: `pnpm typecheck` is the type check.
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
};
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// services/ fills up issue by issue; jest refuses a root that does not exist
const roots = ['packages', 'services', 'gateway'].filter((dir) => existsSync(join(__dirname, dir))).map((dir) => `<rootDir>/${dir}`);
// jest ignores a per-project testTimeout; this sets it for the tiers that talk to real services
const slowTests = '<rootDir>/packages/testing/src/slow-tests.ts';
const common = {
  transform,
  roots,
  testEnvironment: 'node',
  // ESM-only dependencies go through the same transform
  transformIgnorePatterns: ['/node_modules/(?!.*(@event-driven-io|@electric-sql)/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  // A fresh worker once one holds more than this after a test file. Each file loads the workspace
  // anew and some of it stays reachable (PGlite's WebAssembly memories above all), so one worker
  // running every file in turn grew past 700 MB of heap and 1.5 GB resident, and later files ran
  // up to eight times slower than alone. Setting it also makes jest use a worker process rather
  // than run in band on a 2-core machine, which is what lets it start a fresh one.
  workerIdleMemoryLimit: '300MB',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['**/*.int.spec.ts'], setupFilesAfterEnv: [slowTests] },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], setupFilesAfterEnv: [slowTests] },
  ],
};
