// Stands in for the optional plugins the explorer loads on demand with import() and does not
// depend on (remote sources, uploads); the browser test bundles it in their place.
module.exports = {};
