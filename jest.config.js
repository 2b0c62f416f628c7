// Three layers, one runner: `npm test` runs them all (scripts/test.mjs).
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2021' }, module: { type: 'commonjs' } }],
}
const base = { transform, moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' }, testEnvironment: 'node', moduleFileExtensions: ['ts', 'tsx', 'js', 'json'] }
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...base, displayName: 'weapp', testMatch: ['<rootDir>/test/weapp/**/*.test.ts'] },
  ],
}
