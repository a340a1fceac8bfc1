// jest stand-in for esbuild's `file` loader: exports the imported file's absolute path. moduleNameMapper gives no
// access to the original request (and jest's require.resolve would map back here), so it names the one font the
// code imports.
module.exports = require('node:path').join(
  __dirname,
  '../../node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
);
