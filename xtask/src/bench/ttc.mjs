// Time to content: how long a signed-in member waits, on a phone, until what they came for is
// on screen. Chromium driven over the DevTools protocol (puppeteer-core, which Lighthouse
// brings) with Lighthouse's mobile network (150 ms RTT, 1.6 Mbps down, 750 kbps up) and a 4x
// slower CPU, a Moto-G-sized screen, cold (a fresh profile: empty cache, no service worker)
// and repeat visit (the same profile, warm cache), median of the runs.
//
// Input (JSON in the TTC_INPUT environment variable):
//   { toolsDir, chrome, base, cookie, runs, screens: [{ route, ready: [css selector, …] }] }
// Output: one JSON line per screen on stdout:
//   { route, cold: [ms…], repeat: [ms…], coldRequests: [n…], repeatRequests: [n…] }
import { createRequire } from "node:module";
import path from "node:path";

const input = JSON.parse(process.env.TTC_INPUT);
const require = createRequire(path.join(input.toolsDir, "node_modules", "x.js"));
const puppeteer = require("puppeteer-core");

const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
const TIMEOUT_MS = 30000;

// Runs in the page before any of its scripts: records `performance.now()` (milliseconds since
// the navigation started) in the frame after every selector first matches, i.e. once the
// content is drawn.
function watch(selectors) {
  const ready = () => selectors.every((s) => document.querySelector(s));
  const observer = new MutationObserver(() => {
    if (window.__ttc !== undefined || window.__ttcSeen || !ready()) return;
    window.__ttcSeen = true;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.__ttc = performance.now()), 0));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

async function throttled(page) {
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
  return cdp;
}

// One visit: milliseconds from navigation start to content, and the requests made until then.
async function visit(page, url) {
  let requests = 0;
  let counting = true;
  const count = () => {
    if (counting) requests += 1;
  };
  page.on("request", count);
  await page.goto(url, { waitUntil: "domcontentloaded", timeout: TIMEOUT_MS });
  await page.waitForFunction("window.__ttc !== undefined", { timeout: TIMEOUT_MS, polling: 50 });
  counting = false;
  page.off("request", count);
  return { ms: await page.evaluate("window.__ttc"), requests };
}

function cookiesFor(base) {
  return input.cookie
    .split(";")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
    });
}

async function measure(browser, screen) {
  const result = { route: screen.route, cold: [], repeat: [], coldRequests: [], repeatRequests: [] };
  for (let run = 0; run < input.runs; run++) {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.setCookie(...cookiesFor(input.base));
      await page.evaluateOnNewDocument(watch, screen.ready);
      await throttled(page);
      const url = input.base + screen.route;
      const cold = await visit(page, url);
      // Let the visit settle (late requests, the service worker's install) before coming back.
      await page.waitForNetworkIdle({ idleTime: 1000, timeout: TIMEOUT_MS }).catch(() => {});
      const repeat = await visit(page, url);
      result.cold.push(Math.round(cold.ms));
      result.coldRequests.push(cold.requests);
      result.repeat.push(Math.round(repeat.ms));
      result.repeatRequests.push(repeat.requests);
    } finally {
      await context.close();
    }
  }
  return result;
}

const browser = await puppeteer.launch({
  executablePath: input.chrome,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  for (const screen of input.screens) {
    console.log(JSON.stringify(await measure(browser, screen)));
  }
} finally {
  await browser.close();
}
