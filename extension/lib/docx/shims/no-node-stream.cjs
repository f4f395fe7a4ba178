// jszip asks for Node streams only to offer Node stream output, which the viewer never uses:
// without them it reports `nodestream: false` and works on buffers (see set-immediate.cjs).
module.exports = {};
