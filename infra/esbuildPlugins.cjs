// esbuild plugins for the Lambda bundles (serverless-esbuild `custom.esbuild.plugins`).
const path = require('node:path');

/**
 * zod re-exports every message language (`export * as locales`) from its entry points, about 260 KiB of each bundle.
 * Greenlight only uses English, which zod registers by importing `locales/en.js` directly; the namespace is never
 * read, so it is bundled with English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

module.exports = [zodEnglishOnly];
