// Type tests: small programs that use generated clients the right way and the wrong way. Each
// wrong use carries `@ts-expect-error`; a program with zero diagnostics proves every right use
// compiles and every wrong one is an error (an unused `@ts-expect-error` is itself an error).
import { describe, expect, it } from "vitest";
import { generateClient } from "../../generators/client/index.js";
import { fixtureManifests, quickstartManifest } from "./manifests.js";
import { typeCheck, under } from "./typecheck.js";

/** Asserts a value's type at compile time: `is<Date>(value)`. */
const PRELUDE = `function is<T>(_value: T): void {}\n`;

const CASES: Record<string, string> = {
  "dates-bigint": `
import { LedgerClient, type Balance, type LedgerEntry } from "./dates-bigint/client.js";
const client = new LedgerClient({ baseUrl: "http://127.0.0.1:3000", retries: 0, timeoutMs: 5_000 });
export async function run(): Promise<void> {
  const entry: LedgerEntry = { account: "a", amount: 10n, bookedAt: new Date(), valueDate: null };
  const balance = await client.balance({ account: "a", entries: [entry], asOf: new Date() });
  is<Balance>(balance);
  is<bigint>(balance.total);
  is<Date>(balance.asOf);
  is<bigint>(await client.add({ a: 1n, b: 2n }));
  is<Date>(await client.snowflakeTime({ id: 1n }));
  // @ts-expect-error a Date parameter does not take a string
  await client.balance({ account: "a", entries: [], asOf: "2025-01-01T00:00:00Z" });
  // @ts-expect-error a bigint field does not take a number
  await client.balance({ account: "a", entries: [{ account: "a", amount: 10, bookedAt: new Date(), valueDate: null }], asOf: new Date() });
  // @ts-expect-error a required argument is missing
  await client.balance({ account: "a", entries: [] });
  // @ts-expect-error an argument the API does not have
  await client.add({ a: 1n, b: 2n, c: 3n });
  // @ts-expect-error arguments are one object, not positional
  await client.add(1n, 2n);
  // @ts-expect-error the total is a bigint, not a number
  is<number>(balance.total);
  // @ts-expect-error the result is a Promise until awaited
  is<bigint>(client.add({ a: 1n, b: 2n }));
  // @ts-expect-error per-call options are typed too
  await client.add({ a: 1n, b: 2n }, { timeoutMs: "soon" });
  await client.add({ a: 1n, b: 2n }, { signal: new AbortController().signal, headers: { "x-request-id": "r1" } });
}
`,
  "binary-files": `
import { DocumentDeskClient, type ScanReport } from "./binary-files/client.js";
const client = new DocumentDeskClient({ baseUrl: "http://127.0.0.1:3000" });
export async function run(): Promise<void> {
  const report = await client.ocr({ document: new File(["%PDF"], "a.pdf"), options: { language: "en" }, mask: new Uint8Array(4) });
  is<ScanReport>(report);
  is<Uint8Array>(report.thumbnail);
  is<Uint8Array>(await client.merge({ pages: [new Blob(["a"]), new Uint8Array(2)], title: "t" }));
  is<string>(await client.checksum({ payload: new Uint8Array(8), algorithm: "crc32" }));
  // @ts-expect-error a file argument takes bytes, not a path
  await client.ocr({ document: "scan.pdf", options: { language: "en" } });
  // @ts-expect-error several files are an array
  await client.merge({ pages: new Blob(["a"]), title: "t" });
  // @ts-expect-error an enum parameter takes only its members
  await client.checksum({ payload: new Uint8Array(8), algorithm: "md5" });
  // @ts-expect-error bytes inside JSON are a Uint8Array, not base64 text
  await client.send({ to: "a", subject: "s", attachments: [{ filename: "f", contentType: "text/plain", data: "aGk=" }] });
}
`,
  "streams-objects": `
import { StreamingModelsClient, type ChatEvent, type Token } from "./streams-objects/client.js";
const client = new StreamingModelsClient({ baseUrl: "http://127.0.0.1:3000" });
export async function run(): Promise<void> {
  for await (const token of client.tokens({ prompt: "hi" }, { signal: AbortSignal.timeout(1_000) })) {
    is<Token>(token);
    // @ts-expect-error an element is a Token, not text
    is<string>(token);
  }
  for await (const event of client.chat({ messages: ["hi"] })) {
    is<ChatEvent>(event);
    if (event.type === "delta") is<string>(event.content);
    // @ts-expect-error only a "done" event has usage
    is<unknown>(event.usage);
  }
  // @ts-expect-error a stream is iterated, not awaited as one value
  is<Token>(await client.tokens({ prompt: "hi" }));
  // @ts-expect-error a stream is not a Promise
  void client.countdown({ from: 3 }).then;
}
`,
  "discriminated-union": `
import { GeometryClient, type Shape } from "./discriminated-union/client.js";
const client = new GeometryClient({ baseUrl: "http://127.0.0.1:3000" });
export async function run(): Promise<void> {
  const circle: Shape = { kind: "circle", radius: 1 };
  // @ts-expect-error a circle has no width
  const wrong: Shape = { kind: "circle", width: 1 };
  const outcome = await client.scale({ shape: circle, factor: 2 });
  if (outcome.ok) is<Shape>(outcome.value);
  else is<string>(outcome.error);
  // @ts-expect-error value exists only on the ok branch
  is<Shape>(outcome.value);
  is<Shape | null>(await client.largest({ shapes: [circle, wrong] }));
}
`,
  "tasks": `
import { TrainerClient, type TaskHandle, type TaskStatus, type TrainingReport } from "./tasks/client.js";
const client = new TrainerClient({ baseUrl: "http://127.0.0.1:3000" });
export async function run(): Promise<void> {
  const handle = await client.train.submit({ dataset: "iris", epochs: 2 });
  is<TaskHandle<TrainingReport>>(handle);
  is<string>(handle.id);
  is<TaskStatus>(await handle.status());
  is<Date>((await handle.status()).created_at);
  is<TrainingReport>(await handle.get());
  is<TaskHandle<TrainingReport>>(await handle.retry());
  is<TaskStatus>(await client.train.handle("t-1").cancel());
  is<TaskHandle<null>>(await client.reindex.submit());
  // @ts-expect-error a task is submitted, not called
  await client.train({ dataset: "iris", epochs: 2 });
  // @ts-expect-error submit takes the task's arguments
  await client.train.submit({ dataset: "iris" });
  // @ts-expect-error the result is a TrainingReport
  is<string>(await handle.get());
}
`,
  "template-literals-tuples": `
import { ExperimentsClient } from "./template-literals/client.js";
import { MapsClient, type LngLat } from "./tuples/client.js";
const keys = new ExperimentsClient({ baseUrl: "http://127.0.0.1:3000" });
const maps = new MapsClient({ baseUrl: "http://127.0.0.1:3000" });
export async function run(): Promise<void> {
  await keys.user({ key: "user-42" });
  // @ts-expect-error the key must look like user-<number>
  await keys.user({ key: "admin" });
  const from: LngLat = [13.4, 52.5];
  is<[number, number]>(await maps.distance({ from, to: [2.35, 48.85] }));
  // @ts-expect-error a position has two numbers
  await maps.distance({ from: [13.4], to: [2.35, 48.85] });
}
`,
  "quickstart": `
import { BentocClientError, QuickstartClient, TimeoutError, ValidationError, type Sentiment } from "./quickstart/client.js";
const client = new QuickstartClient({ baseUrl: new URL("http://127.0.0.1:3000"), fetch: (url, init) => fetch(url, init) });
export async function run(): Promise<void> {
  await client.waitReady({ timeoutMs: 10_000 });
  try {
    is<Sentiment["label"]>((await client.sentiment({ text: "great" })).label);
  } catch (error) {
    if (error instanceof ValidationError) is<string | undefined>(error.path);
    if (error instanceof BentocClientError) is<[number, string | undefined]>([error.status, error.requestId]);
    if (error instanceof TimeoutError) is<BentocClientError>(error);
  }
  for await (const word of client.echo({ prompt: "a b" })) is<string>(word);
  await client.digest({ file: new Blob(["x"]) });
  // @ts-expect-error a client needs a baseUrl
  new QuickstartClient({});
  // @ts-expect-error the label is one of three words
  const label: Sentiment["label"] = "happy";
  void label;
}
`,
};

describe("type tests: wrong argument and result types are compile errors", () => {
  const manifests = new Map([...fixtureManifests(), ["quickstart", quickstartManifest()]]);
  const used = ["dates-bigint", "binary-files", "streams-objects", "discriminated-union", "tasks", "template-literals", "tuples", "quickstart"];
  const files = new Map<string, string>(used.flatMap((name) => under(name, generateClient(manifests.get(name)!))));
  for (const [name, source] of Object.entries(CASES)) files.set(`${name}.case.ts`, PRELUDE + source);

  it("every right use compiles and every @ts-expect-error marks a real error", () => {
    expect(typeCheck(files, "browser")).toEqual([]);
  });

  it("every case is checked: a case with a wrong expectation fails", () => {
    const broken = new Map(files);
    broken.set("broken.case.ts", `${PRELUDE}import { LedgerClient } from "./dates-bigint/client.js";
export async function run(client: LedgerClient): Promise<void> {
  // @ts-expect-error (wrongly: this call is fine)
  await client.add({ a: 1n, b: 2n });
  is<number>(await client.add({ a: 1n, b: 2n }));
}
`);
    const problems = typeCheck(broken, "browser").filter((line) => line.startsWith("broken.case.ts"));
    expect(problems.map((line) => /TS\d+/.exec(line)?.[0])).toEqual(["TS2578", "TS2345"]);
  });
});
