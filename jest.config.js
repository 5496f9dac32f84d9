// Four tiers: unit specs beside the code; handler specs beside the command
// handlers (a handler with its real collaborators and PostgreSQL, no bus, no
// process); integration tests against the real PostgreSQL and NATS;
// end-to-end tests that start the services as processes.
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@clientele/(.*)$': '<rootDir>/libs/$1/src' },
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/compose/**/*.spec.ts', '<rootDir>/scripts/*.spec.js'], testPathIgnorePatterns: ['\\.handler\\.spec\\.ts$'] },
    { ...common, displayName: 'handler', testMatch: ['<rootDir>/apps/**/*.handler.spec.ts'], globalSetup: '<rootDir>/test/preflight.js' },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], globalSetup: '<rootDir>/test/preflight.js' },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], globalSetup: '<rootDir>/test/preflight.js' },
  ],
};
