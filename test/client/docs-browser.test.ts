// The page a user opens first, in a real browser: headless Chromium opens the quickstart bento's
// address, is sent to /docs (Swagger UI, served offline), and runs "Try it out" on a JSON API, a
// stream and a file upload. The page shows no warning or error box and logs no console error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, buildBento, type BuiltBento, type RunningBento } from "../support/bento-server.js";
import { CHROMIUM, CHROMIUM_FLAGS, hasChromium } from "../support/chromium.js";

describe.skipIf(!hasChromium)(`the /docs page in headless Chromium${hasChromium ? "" : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  let built: BuiltBento | undefined;
  let bento: RunningBento | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    built = await buildBento({ file: path.join(REPO_ROOT, "examples/quickstart/service.ts") });
    bento = await built.start();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    // The server's address, as a person types it: the browser is sent on to the docs.
    await page.goto(`${bento.url}/`);
    await page.waitForSelector("#operations-Quickstart-sentiment");
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await bento?.close();
    built?.remove();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  /** Opens an operation, turns on "Try it out", lets `fill` set its inputs, executes, and returns the live response's status and body. */
  async function tryItOut(operationId: string, fill: (operation: ReturnType<Page["locator"]>) => Promise<void>): Promise<{ status: string; body: string }> {
    const operation = page.locator(`#operations-Quickstart-${operationId}`);
    await operation.locator(".opblock-summary").first().click();
    await operation.locator("button.try-out__btn").click();
    await fill(operation);
    await operation.locator("button.execute").click();
    const live = operation.locator(".live-responses-table .response");
    await live.first().waitFor();
    return {
      status: (await live.locator(".response-col_status").first().innerText()).trim(),
      body: (await live.locator(".response-col_description pre, .response-col_description .microlight").first().innerText()).trim(),
    };
  }

  it("is where the server's root sends a browser", () => {
    expect(page.url()).toBe(`${bento!.url}/docs`);
  });

  it("shows the APIs with no warning or error box", async () => {
    expect(await page.locator(".swagger-ui .errors-wrapper").count()).toBe(0);
    const text = await page.locator("#swagger-ui").innerText();
    expect(text).not.toMatch(/jsonSchemaDialect|Warning|Errors/);
    expect(await page.locator(".opblock").count()).toBeGreaterThanOrEqual(3);
  });

  it("runs a JSON API from Try it out", async () => {
    const answer = await tryItOut("sentiment", async (operation) => {
      await operation.locator("textarea.body-param__text").fill(JSON.stringify({ text: "I love this great library" }));
    });
    expect(answer.status).toBe("200");
    expect(JSON.parse(answer.body)).toEqual({ label: "positive", score: 1 });
  });

  it("runs a stream from Try it out, and shows its events", async () => {
    const answer = await tryItOut("echo", async (operation) => {
      await operation.locator("textarea.body-param__text").fill(JSON.stringify({ prompt: "streams arrive", delayMs: 0 }));
    });
    expect(answer.status).toBe("200");
    expect(answer.body).toContain('data: "streams"');
    expect(answer.body).toContain('data: "arrive"');
  });

  it("uploads a file from Try it out", async () => {
    const answer = await tryItOut("digest", async (operation) => {
      await operation.locator('input[type="file"]').setInputFiles({ name: "hello.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    });
    expect(answer.status).toBe("200");
    expect(JSON.parse(answer.body)).toEqual({ name: "hello.txt", bytes: 5, sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" });
  });

  it("logged no console error", () => {
    expect(consoleErrors).toEqual([]);
  });
});
