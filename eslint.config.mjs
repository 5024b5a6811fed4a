import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

const nodesBaseRules = (set) => n8nNodesBase.configs[set].rules;

export default [
	{
		ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.n8n-runtime-v1/**', 'coverage/**', 'runtime/**', 'runtime-v1/**', '**/*.js', '**/*.mjs'],
	},
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		// Development TypeScript outside the published package (dist/ holds only credentials/ and nodes/):
		// the simulators and the scripts are product (the demo runs them), so they never reach into test/.
		files: ['simulators/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ group: ['**/test', '**/test/**'], message: 'test/ is for tests only; move what is shared to simulators/ or scripts/.' }] }],
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: nodesBaseRules('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodesBaseRules('credentials'),
			// Expects an n8n-internal docs slug; community credentials link a full URL, as
			// @n8n/community-nodes (credential-documentation-url) requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodesBaseRules('nodes'),
			// These two demand the string 'main'; @n8n/community-nodes (node-connection-type-literal)
			// demands NodeConnectionTypes.Main. The newer scanner rule wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		...communityNodes.configs.recommended,
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
	},
	{
		// n8n's package scanner ignores inline eslint-disable comments: so does this lint, for what is published.
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
	},
];
