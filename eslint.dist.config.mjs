import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// The verification scanner also reads the built JavaScript that ships: same community rules on dist/.
export default [
	{
		files: ['dist/**/*.js'],
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' },
		...n8nCommunityNodesPlugin.configs.recommended,
	},
];
