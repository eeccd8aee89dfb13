import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer is plain React + TypeScript; Vite's own transform handles the JSX (automatic runtime).
// base './' so that Electron can load out/renderer/index.html from disk and the headless server can serve it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
});
