/**
 * Four projects: `unit` (fast, no build needed), `workflow` (real n8n engine against the simulators),
 * `e2e` (real n8n from .n8n-runtime/, installed on first use; needs the build) and `e2e-queue` (real n8n
 * in queue mode with Redis, Postgres and two workers: `npm run test:e2e:queue`, not part of `npm test`).
 */
const base = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	// the n8n runtimes (.n8n-runtime/, .n8n-runtime-v1/) hold package.json files named like runtime*/ ones
	modulePathIgnorePatterns: ['<rootDir>/.n8n-runtime'],
};
module.exports = {
	testTimeout: 120000,
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts', '<rootDir>/test/faults/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/test/workflow/setup.ts'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
		{ ...base, displayName: 'e2e-queue', testMatch: ['<rootDir>/test/e2e-queue/**/*.test.ts'] },
	],
};
