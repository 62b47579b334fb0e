/**
 * Stands in for zod's `locales/index.js` in the Lambda bundle (see
 * .ci/build-handler.ts): zod re-exports every locale's error messages as a
 * namespace, which esbuild cannot drop (about 260 KB). zod loads its English
 * messages from `locales/en.js` itself, which stays; no code here picks
 * another locale.
 */
export {};
