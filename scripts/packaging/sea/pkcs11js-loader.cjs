// The single executable's stand-in for native-host/pkcs11/pkcs11js-loader.ts (build-sea.js swaps them):
// pkcs11js' own JavaScript, bundled, over the addon `pkcs11.node` beside the executable, which
// pkcs11-binding.cjs opens (build-sea.js points pkcs11js' `require('./build/Release/pkcs11.node')` at it).
// Both run only when loadPkcs11js() is first called, so a missing addon is an error then, not at start.
const { dirname, join } = require('node:path');

exports.pkcs11jsLocation = () => join(dirname(process.execPath), 'pkcs11.node');
exports.loadPkcs11js = () => require('pkcs11js');
