// Starts tslab's TypeScript kernel from the project root, whichever folder Jupyter opened the notebook in.
// tslab type-checks and compiles local imports only under its working directory, so the cells import the
// library as `./src/...` relative to the root of this clone: a notebook always runs the library of its own commit.
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
process.chdir(root);
require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js')).startKernel({
  configPath: process.argv[2],
  enableFindLocal: false,
});
