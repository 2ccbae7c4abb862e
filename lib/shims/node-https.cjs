// node:https for the Lambda bundles, taken without an ESM import (lib/bundling.ts says why).
module.exports = process.getBuiltinModule('node:https');
