// Times how long headless Chromium (Debian's, via playwright-core) takes to
// load and lay out a `designgate report` page, and its size:
//   node bench/report-render.mjs PAGE.html [RUNS]
// Needs DESIGNGATE_BROWSER_TOOLS (node_modules with playwright-core).
import { createRequire } from "node:module";
import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [page_path, runs_arg] = process.argv.slice(2);
const runs = Number(runs_arg || 5);
const require = createRequire(path.join(process.env.DESIGNGATE_BROWSER_TOOLS, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.DESIGNGATE_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const times = [], cpu = [];
for (let i = 0; i < runs; i++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Main-thread time (parse, style, layout, script) from the DevTools
  // protocol: on a shared machine, wall time mostly measures the queue.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(pathToFileURL(page_path).href, { waitUntil: "load" });
  // Load end of the navigation, then one forced layout of the whole page.
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const t = performance.now();
    document.body.getBoundingClientRect();
    return nav.loadEventEnd + (performance.now() - t);
  });
  times.push(ms);
  const { metrics } = await cdp.send("Performance.getMetrics");
  cpu.push(1000 * metrics.find((m) => m.name === "TaskDuration").value);
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const rows = (await import("node:fs")).readFileSync(page_path, "utf8").match(/<tr data-i=/g)?.length ?? 0;
console.log(`${page_path}: ${statSync(page_path).size} bytes, ${rows} document rows; load+layout over ${runs} runs: min ${times[0].toFixed(0)} ms, median ${times[Math.floor(runs / 2)].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms; main-thread task time: min ${cpu[0].toFixed(0)} ms, median ${cpu[Math.floor(runs / 2)].toFixed(0)} ms`);
