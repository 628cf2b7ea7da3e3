/** A task API called, or another API submitted. */
export const wrongKind = (apiName: string, isTask: boolean) =>
  new TypeError(isTask ? `${apiName} is a task API: submit it with .${apiName}.submit(args), which returns its task handle` : `${apiName} is not a task API: call it as ${apiName}(args)`);

/** A deep copy that keeps only what JSON carries, as a request body would. */
export function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

