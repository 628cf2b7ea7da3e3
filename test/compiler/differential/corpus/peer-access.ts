// keyof, typeof and indexed access: const objects, arrays and tuples, functions' ReturnType/Parameters, Awaited.

const PEER_SETTINGS = { theme: "dark", fontSize: 14, beta: false, nested: { depth: 2 } };
const PEER_FROZEN = { theme: "dark", fontSize: 14, levels: [1, 2, 3] } as const;
const PEER_COLORS = ["red", "green", "blue"] as const;
const PEER_MIXED_LIST = [1, "a", true];
const PEER_PAIR: ["foo", "bar"] = ["foo", "bar"];
const PEER_NAME = "peer";
let peerCounter = 0;
const PEER_SATISFIED = { x: "hello", y: "bye" } satisfies Record<string, string>;
const PEER_ROUTES = { home: "/", user: "/user/:id", item: "/item/:id" } as const;

export type PeerSettingsKeys = keyof typeof PEER_SETTINGS;
export type PeerSettingsType = typeof PEER_SETTINGS;
export type PeerSettingsValue = (typeof PEER_SETTINGS)[keyof typeof PEER_SETTINGS];
export type PeerNestedSetting = (typeof PEER_SETTINGS)["nested"];
export type PeerFrozenType = typeof PEER_FROZEN;
export type PeerFrozenLevels = (typeof PEER_FROZEN)["levels"][number];
export type PeerColor = (typeof PEER_COLORS)[number];
export type PeerColorTuple = typeof PEER_COLORS;
export type PeerMixedItem = (typeof PEER_MIXED_LIST)[number];
export type PeerSecondOfPair = (typeof PEER_PAIR)[1];
export type PeerNameLiteral = typeof PEER_NAME;
export type PeerCounterType = typeof peerCounter;
export type PeerSatisfiedKeys = keyof typeof PEER_SATISFIED;
export type PeerRoutePaths = (typeof PEER_ROUTES)[keyof typeof PEER_ROUTES];

interface PeerAccount { id: number; profile: { name: string; emails: { address: string; primary?: boolean }[] }; roles: ("admin" | "user")[] }
export type PeerAccountEmail = PeerAccount["profile"]["emails"][number];
export type PeerAccountEmailAddress = PeerAccount["profile"]["emails"][number]["address"];
export type PeerAccountRole = PeerAccount["roles"][number];
export type PeerAccountIdOrRoles = PeerAccount["id" | "roles"];
export type PeerAccountKeys = keyof PeerAccount;
export type PeerAccountKeyofProfile = keyof PeerAccount["profile"];

type PeerTriple = [string, number, { flag: boolean }];
export type PeerTripleItem = PeerTriple[number];
export type PeerTripleLast = PeerTriple[2];
export type PeerTripleLength = PeerTriple["length"];
export type PeerTupleUnionIndex = PeerTriple[0 | 1];
export type PeerOptionalTupleItem = [string, number?][1];
export type PeerRestTupleItem = [boolean, ...string[]][number];
export type PeerKeyofTuple = keyof [12, "baz"];
export type PeerKeyofArray = keyof string[];

interface PeerNumericKeyed { 0: string; 1: number; two: boolean }
export type PeerNumericKeys = keyof PeerNumericKeyed;
export type PeerNumericKeyAccess = PeerNumericKeyed[0];
interface PeerIndexedDictionary { [key: string]: { size: number } }
export type PeerDictionaryKeys = keyof PeerIndexedDictionary;
export type PeerDictionaryValue = PeerIndexedDictionary[string];
export type PeerKeyofRecordNumber = keyof Record<number, string>;

function peerMakeUser(name: string, age?: number) {
  return { name, age: age ?? 0, tags: [] as string[], active: true as const };
}
async function peerFetchCount(id: string, options: { retries: number } = { retries: 1 }): Promise<{ id: string; count: number }> {
  return { id, count: options.retries };
}
function peerNoReturn(): void {}
function peerNullable(flag: boolean): string | null {
  return flag ? "x" : null;
}
export type PeerMadeUser = ReturnType<typeof peerMakeUser>;
export type PeerMakeUserArgs = Parameters<typeof peerMakeUser>;
export type PeerMakeUserFirstArg = Parameters<typeof peerMakeUser>[0];
export type PeerFetchArgs = Parameters<typeof peerFetchCount>;
export type PeerFetchResult = Awaited<ReturnType<typeof peerFetchCount>>;
export type PeerVoidReturn = ReturnType<typeof peerNoReturn>;
export type PeerNullableReturn = ReturnType<typeof peerNullable>;
export interface PeerFunctionTypesInside {
  user: ReturnType<typeof peerMakeUser>;
  args: Parameters<typeof peerFetchCount>;
  result?: Awaited<ReturnType<typeof peerFetchCount>>;
}

type PeerGetterOf<T> = { [K in keyof T]: () => T[K] };
export type PeerGetterResults = { [K in keyof PeerGetterOf<{ a: number; b: string }>]: ReturnType<PeerGetterOf<{ a: number; b: string }>[K]> };
