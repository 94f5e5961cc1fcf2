/** Test suites, by project: `npx jest --selectProjects unit` etc. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});

module.exports = {
	reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
	projects: [
		project('unit'),
		project('emulator'),
		project('nodes'),
		// Real n8n: each e2e file sets jest.setTimeout itself (a project-level testTimeout is ignored).
		project('e2e'),
	],
};
