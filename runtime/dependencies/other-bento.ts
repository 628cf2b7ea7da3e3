import type { ServiceManifest } from "../../manifest/types.js";
import type { BentoServiceIdentity, DependencyConnection } from "../../sdk/depends.js";
import { wrongKind } from "./kinds.js";
import { dependencyUrl, onTheWire } from "./remote.js";

/** A generated client class, as the runtime constructs it. */
export type ClientClass = new (options: { baseUrl: string }) => object;

type Call = (args: unknown, options: unknown) => unknown;
/** A client's member for an API: a method, or a task API's `{ submit, handle }`. */
type ClientMember = Call | { submit: Call } | undefined;

/**
 * Calls a service of another bento through the client class generated for it (which its
 * `depends(…)` names), at `BENTOC_DEPENDENCY_<SERVICE>_URL`: its calls, revival and typed errors
 * are that client's; the caller's Context gives its request id and signal, as to any dependency.
 */
export function otherBentoConnection(
  caller: ServiceManifest,
  Client: ClientClass,
  identity: BentoServiceIdentity,
  env: NodeJS.ProcessEnv,
): { connection: DependencyConnection; url: string } {
  const url = dependencyUrl(caller, identity.service, `a service of the bento ${identity.bento}`, env);
  const client = new Client({ baseUrl: url }) as Record<string, ClientMember>;
  /** The client's member for an API: its own (a method, or a task member its constructor set), never one of Object's. */
  const member = (apiName: string, submitted: boolean): Call => {
    const own = apiName !== "constructor" && apiName !== "waitReady" && (Object.hasOwn(client, apiName) || Object.hasOwn(Object.getPrototypeOf(client) as object, apiName));
    const found = own ? client[apiName] : undefined;
    const call = typeof found === "function" ? found.bind(client) : typeof found?.submit === "function" ? found.submit.bind(found) : undefined;
    if (!call) throw new TypeError(`the client of ${identity.service} (bento ${identity.bento}) has no API named '${apiName}'`);
    const isTask = typeof found !== "function";
    if (isTask !== submitted) throw wrongKind(apiName, isTask);
    return call;
  };
  const found = new Map<string, Call>();
  const cached = (apiName: string, submitted: boolean): Call => {
    const key = `${submitted ? "submit" : "call"} ${apiName}`;
    let call = found.get(key);
    if (!call) found.set(key, (call = member(apiName, submitted)));
    return call;
  };
  const connection: DependencyConnection = {
    call: (apiName, args, options) => cached(apiName, false)(args, onTheWire(options)),
    submit: (apiName, args, options) => cached(apiName, true)(args, onTheWire(options)) as ReturnType<DependencyConnection["submit"]>,
  };
  return { connection, url };
}
