// A port on 127.0.0.1 that nothing listens on (it was free a moment ago): cli/serve/free-port.ts,
// which `bentoc serve --split` and the benches use too.
export { freePort } from "../../cli/serve/free-port.js";
