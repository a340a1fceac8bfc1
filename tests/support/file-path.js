// jest stand-in for esbuild's `file` loader: exports the imported file's absolute path.
// moduleNameMapper gives no access to the original request, so it is resolved from the one font the code imports.
module.exports = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
