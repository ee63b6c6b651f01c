// Where the main thread is blocked: a signed-in member's cold visit to one route on the bench's
// phone (`phone.mjs`: 4x slower CPU, so task lengths are a slow phone's), traced by Chromium
// with its V8 sampler. Every task of the page's main thread longer than 50 ms (the ones Total
// Blocking Time counts) is listed with what filled it: the trace events under it (script,
// style, layout, parsing) and the functions the sampler found on top of the stack most often.
// Wasm functions carry their Rust names only in a `PORTAL_WASM_NAMES=1` build.
//
// Input (JSON in the TRACE_INPUT environment variable):
//   { toolsDir, chrome, base, cookie, route, out: path of the trace file to write }
// Output: one JSON line per long task on stdout:
//   { startMs, ms, events: [[name, ms]…], functions: [[name, ms]…] }
import { writeFileSync } from "node:fs";
import { TIMEOUT_MS, launch, memberPage } from "./phone.mjs";

const input = JSON.parse(process.env.TRACE_INPUT);
const LONG_TASK_MS = 50;
const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "blink.user_timing",
  "disabled-by-default-v8.cpu_profiler",
  // `wasm.CompileLazy`: V8 compiling a wasm function on its first call, on the main thread;
  // most of the app's start-up tasks.
  "v8.wasm",
];

async function traceVisit(browser) {
  const { context, page } = await memberPage(browser, input.base, input.cookie);
  try {
    await page.tracing.start({ categories: CATEGORIES });
    await page.goto(input.base + input.route, { waitUntil: "load", timeout: TIMEOUT_MS });
    await page.waitForNetworkIdle({ idleTime: 2000, timeout: TIMEOUT_MS }).catch(() => {});
    const text = new TextDecoder().decode(await page.tracing.stop());
    writeFileSync(input.out, text);
    return JSON.parse(text).traceEvents;
  } finally {
    await context.close();
  }
}

// The page's main thread: the renderer thread with the most samples (other renderers, like
// the service worker's, sample little).
function mainThread(events) {
  const names = new Map();
  for (const e of events) {
    if (e.name === "thread_name" && e.args.name === "CrRendererMain") names.set(`${e.pid}:${e.tid}`, 0);
  }
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (names.has(key) && e.ph === "X") names.set(key, names.get(key) + 1);
  }
  const [key] = [...names.entries()].sort((a, b) => b[1] - a[1])[0];
  const [pid, tid] = key.split(":").map(Number);
  return { pid, tid };
}

// The sampler's samples on that thread: [{ ts (µs), name }] with the top-of-stack function.
function samples(events, { pid, tid }) {
  const profiles = new Map();
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === "Profile" && e.tid === tid) {
      profiles.set(e.id, { start: e.args.data.startTime, nodes: new Map(), out: [] });
    }
  }
  for (const e of events) {
    if (e.name !== "ProfileChunk" || e.pid !== pid || !profiles.has(e.id)) continue;
    const profile = profiles.get(e.id);
    const data = e.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) {
      profile.nodes.set(node.id, node.callFrame.functionName || node.callFrame.url || "(anonymous)");
    }
    let ts = profile.last ?? profile.start;
    (data.cpuProfile?.samples ?? []).forEach((id, i) => {
      ts += data.timeDeltas[i];
      profile.out.push({ ts, id });
    });
    profile.last = ts;
  }
  return [...profiles.values()].flatMap((p) => p.out.map((s) => ({ ts: s.ts, name: p.nodes.get(s.id) })));
}

function top(pairs, n) {
  return [...pairs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => [name, Math.round(us / 1000)]);
}

function longTasks(events) {
  const thread = mainThread(events);
  const onThread = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === "X");
  const navigation = events.find((e) => e.name === "navigationStart" && e.pid === thread.pid)?.ts
    ?? Math.min(...onThread.map((e) => e.ts));
  const sampled = samples(events, thread);
  const tasks = onThread.filter((e) => e.name === "RunTask" && e.dur / 1000 > LONG_TASK_MS);
  return tasks.map((task) => {
    const end = task.ts + task.dur;
    const inside = (e) => e.ts >= task.ts && e.ts < end;
    const kinds = new Map();
    for (const e of onThread) {
      if (e === task || !inside(e) || e.name === "RunTask") continue;
      kinds.set(e.name, (kinds.get(e.name) ?? 0) + e.dur);
    }
    const functions = new Map();
    const within = sampled.filter(inside).sort((a, b) => a.ts - b.ts);
    within.forEach((s, i) => {
      const next = within[i + 1]?.ts ?? end;
      functions.set(s.name, (functions.get(s.name) ?? 0) + (next - s.ts));
    });
    return {
      startMs: Math.round((task.ts - navigation) / 1000),
      ms: Math.round(task.dur / 1000),
      events: top(kinds, 6),
      functions: top(functions, 8),
    };
  });
}

const browser = await launch(input.toolsDir, input.chrome);
try {
  for (const task of longTasks(await traceVisit(browser))) console.log(JSON.stringify(task));
} finally {
  await browser.close();
}
