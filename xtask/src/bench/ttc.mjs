// Time to content: how long a signed-in member waits, on a phone, until what they came for is
// on screen: on the bench's phone (`phone.mjs`), cold (a fresh profile: empty cache, no
// service worker) and repeat visit (the same profile, warm cache), median of the runs.
//
// Input (JSON in the TTC_INPUT environment variable):
//   { toolsDir, chrome, base, cookie, runs, screens: [{ route, ready: [css selector, …] }] }
// Output: one JSON line per screen on stdout:
//   { route, cold: [ms…], repeat: [ms…], coldRequests: [n…], repeatRequests: [n…] }
import { TIMEOUT_MS, launch, memberPage } from "./phone.mjs";

const input = JSON.parse(process.env.TTC_INPUT);

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

async function measure(browser, screen) {
  const result = { route: screen.route, cold: [], repeat: [], coldRequests: [], repeatRequests: [] };
  for (let run = 0; run < input.runs; run++) {
    const { context, page } = await memberPage(browser, input.base, input.cookie);
    try {
      await page.evaluateOnNewDocument(watch, screen.ready);
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

const browser = await launch(input.toolsDir, input.chrome);
try {
  for (const screen of input.screens) {
    console.log(JSON.stringify(await measure(browser, screen)));
  }
} finally {
  await browser.close();
}
