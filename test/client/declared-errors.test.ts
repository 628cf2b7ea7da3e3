// The generated client documents the errors an API declares (`@throws {NotFound} …` in the
// service) with the client's class for each status: the one errorForResponse throws for it.
import { describe, expect, it } from "vitest";
import { generateClient } from "../../generators/client/index.js";
import { CLIENT_ERROR_BY_STATUS } from "../../generators/client/service-class.js";
import { errorForResponse } from "../../sdk/client/errors.js";
import { fixtureManifests } from "./manifests.js";

describe("declared errors in the generated client", () => {
  it("names, for each status, the class errorForResponse throws", () => {
    for (const [status, className] of Object.entries(CLIENT_ERROR_BY_STATUS)) {
      expect([status, errorForResponse("POST /x", Number(status), { error: "e" }, undefined, undefined).name]).toEqual([status, className]);
    }
  });

  it("documents each declared error on the method, with its status, class and text", () => {
    const client = generateClient(fixtureManifests().get("service-errors")!).get("client.ts")!;
    const describeDoc = client.slice(client.lastIndexOf("/**", client.indexOf("  describe(")), client.indexOf("  describe("));
    expect(describeDoc).toContain("@throws {NotFoundError} 404 (NotFound): when no model has that name");
    expect(describeDoc).toContain("@throws {TooManyRequestsError} 429 (QuotaExceeded): when the caller's quota is used up");
    expect(describeDoc).toContain("@throws {UnprocessableError} 422 (Unprocessable): when the name is not one a model could have");
  });
});
