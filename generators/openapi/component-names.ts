// Decides the key under `components.schemas` for every schema the document holds. User
// `$defs` keep their names (clients are generated from them); our own schemas give way.

/** OpenAPI 3.1 only allows these characters in component keys. */
const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

export type OwnSchema = "error" | "taskState" | "taskStatus" | "taskSubmitted";

const OWN_SCHEMA_NAMES: Readonly<Record<OwnSchema, string>> = {
  error: "BentocError",
  taskState: "BentocTaskState",
  taskStatus: "BentocTaskStatus",
  taskSubmitted: "BentocTaskSubmitted",
};

export interface ComponentNames {
  /** Component key for each name in the manifest's `$defs`. */
  defs: ReadonlyMap<string, string>;
  own: Readonly<Record<OwnSchema, string>>;
}

export function allocateComponentNames(defNames: readonly string[]): ComponentNames {
  const taken = new Set(defNames.filter((name) => COMPONENT_NAME.test(name)));
  const defs = new Map<string, string>();
  for (const name of defNames) {
    if (COMPONENT_NAME.test(name)) {
      defs.set(name, name);
    } else {
      const safe = claim(sanitize(name), taken);
      defs.set(name, safe);
    }
  }
  const own = {} as Record<OwnSchema, string>;
  for (const key of Object.keys(OWN_SCHEMA_NAMES) as OwnSchema[]) {
    own[key] = claim(OWN_SCHEMA_NAMES[key], taken);
  }
  return { defs, own };
}

function sanitize(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  return safe === "" ? "Schema" : safe;
}

function claim(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
  taken.add(candidate);
  return candidate;
}
