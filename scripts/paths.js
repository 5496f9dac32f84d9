// Resolves the @clientele/* libraries inside the compiled dist/ tree.
const path = require('node:path');
const { register } = require('tsconfig-paths');

const dist = path.join(__dirname, '..', 'dist');
register({ baseUrl: dist, paths: { '@clientele/*': ['libs/*/src'] } });
module.exports = { dist };
