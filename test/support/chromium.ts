// The browser the browser tests drive: Debian's headless Chromium, through playwright-core.
import fs from "node:fs";

/** Debian's chromium package (`apt-get install chromium`), which .ci/run installs where it can; BENTOC_CHROMIUM overrides it. */
export const CHROMIUM = process.env.BENTOC_CHROMIUM || "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);

/**
 * Headless, and quiet on a closed network: without the background-networking flags Chromium
 * opens many connections of its own at start (updates, sync, safe browsing). `headless: true`
 * adds --headless; the fresh --user-data-dir is launchPersistentContext's folder.
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
