// ESLint flat config. Layer rules from ../shared/DESIGN.md are enforced here:
// nothing under core/ imports Electron, React or the DOM.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom', 'zustand'].map((name) => ({
            name,
            message: 'core/ runs in plain Node: no Electron, React or DOM (DESIGN.md, Layers).',
          })),
          patterns: [
            {
              group: ['**/renderer/**', '**/main/**', '**/preload/**'],
              message: 'core/ never imports a home.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['core/sip/message/**/*.ts', 'core/sip/sdp/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/transport/**',
                '**/transaction/**',
                '**/proxy/**',
                '**/registrar/**',
                '**/auth/**',
                '**/store/**',
              ],
              message: 'The message layer is the bottom of the SIP stack: it imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.cjs', 'core/server.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
