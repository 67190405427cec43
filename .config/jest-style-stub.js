// Style imports resolve to an empty object in tests; styles come from the Grafana theme at run time.
module.exports = {};
