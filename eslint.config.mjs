// ESLint flat config. Layer rules from ../shared/DESIGN.md are enforced here: nothing under core/
// imports Electron, React, the DOM or a home; and each core/ layer imports only the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * core/'s layers, top first, as DESIGN.md draws them (plus the folders it does not name yet: cli and
 * http beside the headless server, calls with the bottom band, sip/dispatcher.ts between the registrar
 * and the proxy, sip/sdp with the message layer). A layer may import the layers of later bands only;
 * `import` paths are matched by folder (or file) name. The composition root (appliance.ts, server.ts)
 * may import anything; control and http receive the Appliance and may import its type.
 */
const CORE_BANDS = [
  [
    { files: ['core/cli/**'], name: 'cli' },
    { files: ['core/http/**'], name: 'http' },
  ],
  [{ files: ['core/control/**'], name: 'control' }],
  [{ files: ['core/mml/**'], name: 'mml' }],
  // The dialer annotates its calls' CDR rows, so it sits above the CDR.
  [{ files: ['core/dialer/**'], name: 'dialer' }],
  [
    { files: ['core/trace/**'], name: 'trace' },
    { files: ['core/cdr/**'], name: 'cdr' },
    { files: ['core/activity/**'], name: 'activity' },
  ],
  [{ files: ['core/store/**'], name: 'store' }],
  [{ files: ['core/sip/proxy/**'], name: 'proxy' }],
  [{ files: ['core/sip/dispatcher.ts'], name: 'dispatcher', file: true }],
  [{ files: ['core/sip/registrar/**'], name: 'registrar' }],
  // A user agent answers digest challenges with auth's digest arithmetic, so ua sits above auth.
  [{ files: ['core/sip/ua/**'], name: 'ua' }],
  [{ files: ['core/sip/auth/**'], name: 'auth' }],
  [{ files: ['core/sip/transaction/**'], name: 'transaction' }],
  [{ files: ['core/sip/transport/**'], name: 'transport' }],
  [
    { files: ['core/sip/message/**'], name: 'message' },
    { files: ['core/sip/sdp/**'], name: 'sdp' },
  ],
  [
    { files: ['core/media/**'], name: 'media' },
    { files: ['core/observe/**'], name: 'observe' },
    { files: ['core/config/**'], name: 'config' },
    { files: ['core/calls/**'], name: 'calls' },
  ],
];

const HOMES = {
  paths: ['electron', 'react', 'react-dom', 'zustand'].map((name) => ({
    name,
    message: 'core/ runs in plain Node: no Electron, React or DOM (DESIGN.md, Layers).',
  })),
  patterns: [
    { group: ['**/renderer/**', '**/main/**', '**/preload/**'], message: 'core/ never imports a home.' },
  ],
};

function coreLayerRules() {
  const glob = (layer) => (layer.file ? `**/${layer.name}` : `**/${layer.name}/**`);
  const blocks = [{ files: ['core/**/*.ts'], rules: { 'no-restricted-imports': ['error', HOMES] } }];
  CORE_BANDS.forEach((band, i) => {
    const above = CORE_BANDS.slice(0, i).flat();
    for (const layer of band) {
      const forbidden = [...above, ...band.filter((l) => l !== layer)].map(glob);
      if (!['control', 'http'].includes(layer.name)) forbidden.push('**/appliance');
      blocks.push({
        files: layer.files.map((f) => (f.endsWith('.ts') ? f : `${f}/*.ts`)),
        rules: {
          'no-restricted-imports': [
            'error',
            {
              ...HOMES,
              patterns: [
                ...HOMES.patterns,
                {
                  group: forbidden,
                  message: `core/ layers import only the layers below them (DESIGN.md, Layers): ${layer.name} may not import this.`,
                },
              ],
            },
          ],
        },
      });
    }
  });
  return blocks;
}

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
  ...coreLayerRules(),
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
