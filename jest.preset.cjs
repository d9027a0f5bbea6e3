// Shared Jest setup: TypeScript through SWC, workspace libraries resolved to their sources, real services found by libs/testing.
const path = require('node:path');

/** ESM-only dependencies that Jest must transpile to CommonJS. */
const esmOnly = ['@marcbachmann/cel-js'];

/**
 * `services` names the tools/services services (postgres, kafka3, kafka4, bigquery) the project's tests use: they are
 * started before any test runs, outside every test's timeout.
 */
module.exports = function jestConfig(projectDir, { services = [], ...overrides } = {}) {
  const provisioning =
    services.length > 0 ? { globalSetup: path.join(__dirname, 'tools/services/jest-global-setup.cjs'), globals: { fraudlineServices: services } } : {};
  return {
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@fraudline/source', 'node', 'node-addons'] },
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: { '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
    transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 60_000,
    ...provisioning,
    ...overrides,
  };
};
