// ESLint (flat config): typescript-eslint's recommended rules and import order, over the TypeScript
// sources and tests. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'coverage/**', 'test/fixtures/**', 'test/corpus/**', '**/*.cjs', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    rules: {
      // Builtins first, then packages, then our own files; groups separated the way the code already is.
      'import-x/order': ['warn', { groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']], 'newlines-between': 'never' }],
      'import-x/no-duplicates': 'warn',
      // `_name` marks a value left out on purpose (`const { ok: _ok, ...rest } = item`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  // Layers point one way (ARCHITECTURE.md): pages (extension/ui) may import the background's types, never the reverse;
  // what both need (strings, error sentences, askBackground) lives in extension/common; shared/ is pure and knows no side.
  ...layerRules(),
);

/** One `no-restricted-imports` block per layer: the folders it must not import from (any `<folder>/` segment of a specifier). */
function layerRules() {
  const forbidden = {
    'extension/background/**': ['ui'],
    'extension/common/**': ['ui', 'background'],
    'extension/content/**': ['ui', 'background'],
    'extension/sdk/**': ['ui', 'background', 'content', 'common'],
    'shared/**': ['extension', 'native-host'],
  };
  return Object.entries(forbidden).map(([layer, folders]) => ({
    files: [`${layer}/*.ts`, `${layer}/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: folders.map((folder) => ({ regex: `(^|/)${folder}/`, message: `${layer.replace('/**', '')} must not import from ${folder}/ (ARCHITECTURE.md: layers point one way).` })) },
      ],
    },
  }));
}
