// Builds the console into dist/: index.html, app.js and app.css, the files gerbang embeds
// (src/http/console.rs). The output depends only on the sources and the locked packages, so
// CI rebuilds it and compares with what is committed. `--tests` bundles the browser flows.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

if (process.argv.includes('--tests')) {
  await build({
    entryPoints: ['test/flows.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: 'test-dist/flows.mjs',
    logLevel: 'warning',
  });
  process.exit(0);
}

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  outdir: 'dist',
  logLevel: 'warning',
});
await build({ entryPoints: { app: 'src/style.css' }, bundle: true, minify: true, outdir: 'dist', logLevel: 'warning' });

// The assets are cached for a year: their URLs carry a digest of their content.
const digest = (file) => createHash('sha256').update(readFileSync(`dist/${file}`)).digest('hex').slice(0, 16);
const html = readFileSync('src/index.html', 'utf8')
  .replace('%APP_JS%', `/admin/assets/app.js?v=${digest('app.js')}`)
  .replace('%APP_CSS%', `/admin/assets/app.css?v=${digest('app.css')}`);
writeFileSync('dist/index.html', html);
