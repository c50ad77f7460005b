// Stands in for react-devtools-core, and for the WebSocket library Ink would give it, in the bundled
// review (scripts/build.js): Ink imports them only when DEV=true, and then reports DevTools as not
// installed.
export default {
  initialize() {
    throw Object.assign(new Error("react-devtools-core is not part of trajlab's bundled review"), { code: "ERR_MODULE_NOT_FOUND" });
  },
  connectToDevTools() {},
};
