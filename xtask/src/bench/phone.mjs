// The phone every browser measurement of the bench runs on (`ttc.mjs`, `trace.mjs`): Chromium
// driven over the DevTools protocol (puppeteer-core, which Lighthouse brings) with Lighthouse's
// mobile network (150 ms RTT, 1.6 Mbps down, 750 kbps up), a 4x slower CPU and a
// Moto-G-sized screen, signed in as the demo member.
import { createRequire } from "node:module";
import path from "node:path";

const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
export const CPU_SLOWDOWN = 4;
export const TIMEOUT_MS = 30000;

/// A headless Chromium; `toolsDir` is where npm installed puppeteer-core. Without
/// `userDataDir`, a throwaway profile.
export async function launch(toolsDir, chrome, userDataDir) {
  const require = createRequire(path.join(toolsDir, "node_modules", "x.js"));
  const puppeteer = require("puppeteer-core");
  return puppeteer.launch({
    executablePath: chrome,
    headless: true,
    userDataDir,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // An experiment's own flags (space-separated), e.g. `--js-flags=--no-wasm-lazy-compilation`
      // to see how much of a trace is V8 compiling wasm functions as they are first called.
      ...(process.env.BENCH_CHROME_FLAGS?.split(" ").filter(Boolean) ?? []),
    ],
  });
}

/// A fresh page (empty cache, no service worker) holding the member's cookies
/// ("name=value; name=value"), throttled as a phone.
export async function memberPage(browser, base, cookie) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setCookie(...cookiesFor(base, cookie));
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await page.setViewport({
    width: 412,
    height: 823,
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
  });
  return { context, page };
}

function cookiesFor(base, cookie) {
  return cookie
    .split(";")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
    });
}
