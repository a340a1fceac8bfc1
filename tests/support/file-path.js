// jest stand-in for esbuild's `file` loader: exports the imported file's absolute path. moduleNameMapper gives no
// access to the original request (and jest's require.resolve would map back here), so it names the one asset the
// code imports: the letter font subset (scripts/subset-letter-font.ts).
module.exports = require('node:path').join(__dirname, '../../functions/src/assets/NotoSansSC-GB2312.ttf.br');
