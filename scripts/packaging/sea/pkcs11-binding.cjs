// pkcs11js' native binding in the single executable: `pkcs11.node` beside the executable, opened with
// process.dlopen (a SEA's require() reaches only Node's built-in modules).
const { dirname, join } = require('node:path');

const binding = { exports: {} };
process.dlopen(binding, join(dirname(process.execPath), 'pkcs11.node'));
module.exports = binding.exports;
