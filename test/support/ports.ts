// A port on 127.0.0.1 that nothing listens on (it was free a moment ago). The implementation is
// bench/free-port.ts, shared with the benches, which cannot import test/.
export { freePort } from "../../bench/free-port.js";
