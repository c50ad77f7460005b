// Stands in for react-devtools-core in the bundled review (scripts/build.js): Ink imports it only
// when DEV=true, and then reports it as not installed.
export default {
  initialize() {
    throw Object.assign(new Error("react-devtools-core is not part of trajlab's bundled review"), { code: "ERR_MODULE_NOT_FOUND" });
  },
  connectToDevTools() {},
};
