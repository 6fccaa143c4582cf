// Opens a `designgate report` HTML page in a real headless Chromium (Debian's
// package, driven by playwright-core; no browser download) and checks it
// against the JSON report of the same run:
//   node report.mjs PAGE.html REPORT.json [SCREENSHOT.png]
// Environment: DESIGNGATE_BROWSER_TOOLS (a folder with node_modules/
// playwright-core and axe-core), DESIGNGATE_CHROMIUM (the executable).
// Prints one line per check and `N passed, N failed`; exits 1 on a failure.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [page_path, json_path, shot] = process.argv.slice(2);
const tools = process.env.DESIGNGATE_BROWSER_TOOLS;
const require = createRequire(path.join(tools, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const axe_source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const report = JSON.parse(readFileSync(json_path, "utf8"));

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail === undefined ? "" : ": " + detail}`); }
}
const pct = (p) => (p === null || p === undefined ? "–" : `${p}%`);

const browser = await chromium.launch({
  executablePath: process.env.DESIGNGATE_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url()); });
  const started = Date.now();
  await page.goto(pathToFileURL(page_path).href, { waitUntil: "load" });
  const loaded = Date.now() - started;
  console.log(`note load ${loaded} ms for ${report.documents.length} documents`);
  check("no network request", requests.length === 0, requests.join(", "));

  // The summary.
  const summary = await page.$$eval("#summary dd", (dds) => Object.fromEntries(dds.map((d) => [d.dataset.k, d.textContent])));
  const s = report.summary;
  check("summary equals the JSON",
    summary.documents === String(s.documents) && summary.score === pct(s.score) &&
    summary.blocking_documents === String(s.blocking_documents) && summary.errors === String(s.errors) &&
    summary.warnings === String(s.warnings) && summary.waived === String(s.waived),
    JSON.stringify(summary));

  // Coverage by area.
  const areas = await page.$$eval("#areas tbody tr", (rows) => rows.map((r) => ({
    id: r.dataset.area,
    cells: Object.fromEntries(Array.from(r.querySelectorAll("td[data-k]")).map((c) => [c.dataset.k, c.textContent])),
  })));
  const area_bad = report.areas.filter((a, i) => {
    const got = areas[i];
    if (!got || got.id !== a.id) return true;
    if (got.cells.coverage !== pct(a.coverage)) return true;
    return ["covered", "hollow", "placeholder", "missing", "waived", "not_applicable"]
      .some((k) => got.cells[k] !== String(a.counts[k]));
  });
  check("area table equals the JSON", areas.length === report.areas.length && area_bad.length === 0,
    area_bad.map((a) => a.id).join(", "));

  // Every document row: score, blocking, warnings, waived and each area.
  const header = await page.$$eval("#docs thead th", (ths) => ths.map((t) => t.id));
  const rows = await page.$$eval("#docs tbody tr:not(.detail)", (rows) => rows.map((r) => ({
    path: r.querySelector("th code").textContent,
    cells: Array.from(r.cells).map((c) => c.textContent),
  })));
  const col = (id) => header.indexOf(id);
  const labels = { "covered": "covered", "hollow": "hollow", "placeholder": "placeholder", "missing": "missing", "waived": "waived", "not-applicable": "n/a" };
  const by_path = new Map(report.documents.map((d) => [(d.repository || "") + "\u0000" + d.path, d]));
  const merged = col("h-repo") >= 0;
  let row_bad = [];
  for (const r of rows) {
    const key = (merged ? r.cells[col("h-repo")] : "") + "\u0000" + r.path;
    const d = by_path.get(key);
    if (!d) { row_bad.push(`no JSON row for ${r.path}`); continue; }
    const want = [
      ["h-score", pct(d.score)], ["h-blocking", String(d.errors)],
      ["h-warnings", String(d.warnings)], ["h-waived", String(d.waived)],
      ...report.areas.map((a, i) => [`h-a${i}`, labels[d.areas[a.id] || "not-applicable"]]),
    ];
    for (const [id, value] of want) {
      if (r.cells[col(id)] !== value) row_bad.push(`${r.path} ${id}: ${r.cells[col(id)]} != ${value}`);
    }
  }
  check("document cells equal the JSON", rows.length === report.documents.length && row_bad.length === 0,
    `${rows.length} rows; ` + row_bad.slice(0, 5).join("; "));

  const visible = () => page.$$eval("#docs tbody tr:not(.detail)", (rows) => rows.filter((r) => !r.hidden).length);
  const shown = () => page.$eval("#shown", (o) => o.textContent);

  const page_rows = +(await page.getAttribute("#docs", "data-page"));
  // Filters: by status, by owner, both, then back.
  const statuses = [...new Set(report.documents.map((d) => d.status).filter((x) => x))];
  if (statuses.length > 0) {
    const st = statuses[0];
    await page.selectOption("#f-status", st);
    const want = report.documents.filter((d) => d.status === st).length;
    check(`status filter (${st})`, (await visible()) === want && (await shown()).startsWith(`${Math.min(want, page_rows)} of ${report.documents.length} documents shown`), `${await visible()} != ${want}`);
    await page.selectOption("#f-status", "");
  }
  const owners = [...new Set(report.documents.map((d) => d.owner).filter((x) => x))];
  if (owners.length > 0) {
    const ow = owners[owners.length - 1];
    // Keyboard: focus the select and choose with the arrow keys is
    // browser-specific; selectOption fires the same change event.
    await page.selectOption("#f-owner", ow);
    const want = report.documents.filter((d) => d.owner === ow).length;
    check(`owner filter (${ow})`, (await visible()) === want, `${await visible()} != ${want}`);
    await page.selectOption("#f-owner", "");
  }
  check("filters reset", (await visible()) === report.documents.length);
  // Long tables show a first page; "Show all" shows every row.
  const on_screen = () => page.$$eval("#docs tbody tr:not(.detail)", (rows) => rows.filter((r) => !r.hidden && getComputedStyle(r).display !== "none").length);
  check("first page", (await on_screen()) === Math.min(page_rows, report.documents.length));
  if (report.documents.length > page_rows) {
    await page.click("#show-all");
    check("show all", (await on_screen()) === report.documents.length && (await page.isHidden("#show-all")));
  } else {
    check("no show-all button for a short table", await page.isHidden("#show-all"));
  }
  await page.fill("#f-text", report.documents[0].path.toLowerCase());
  check("text filter", (await visible()) >= 1 && (await visible()) <= report.documents.length);
  await page.fill("#f-text", "");

  // Sorting, with the keyboard: Tab to the Score header's button, Enter.
  const score_col = col("h-score");
  const scores = () => page.$$eval("#docs tbody tr:not(.detail)", (rows, c) => rows.map((r) => r.cells[c].getAttribute("data-v")), score_col);
  await page.focus("#h-score button");
  await page.keyboard.press("Enter");
  const asc = (await scores()).map((v) => (v === "" ? -1 : +v));
  check("sort ascending by score (keyboard)", asc.every((v, i) => i === 0 || asc[i - 1] <= v) &&
    (await page.getAttribute("#h-score", "aria-sort")) === "ascending");
  await page.keyboard.press("Enter");
  const desc = (await scores()).map((v) => (v === "" ? -1 : +v));
  check("sort descending by score", desc.every((v, i) => i === 0 || desc[i - 1] >= v) &&
    (await page.getAttribute("#h-score", "aria-sort")) === "descending");
  await page.click("#h-doc button");
  const titles = await page.$$eval("#docs tbody tr:not(.detail) th", (ths) => ths.map((t) => t.getAttribute("data-v")));
  check("sort by document", titles.every((t, i) => i === 0 || titles[i - 1] <= t));

  // The rules of a document, on demand.
  const first_path = await page.$eval("#docs tbody tr th code", (c) => c.textContent);
  const first = report.documents.find((d) => d.path === first_path);
  await page.click("#docs tbody tr:first-child button.rules");
  const items = await page.$$eval("#docs tbody tr.detail li", (lis) => lis.map((l) => l.textContent));
  const rule_count = report.areas.reduce((n, a) => n + a.rules.length, 0);
  const wrong = report.areas.flatMap((a) => a.rules).filter((r, i) => {
    const state = (first.rules[r.id] || "not-applicable").replace("-", " ");
    return !(items[i] || "").endsWith(`(${r.id}): ${state}`);
  });
  check("rules on demand", items.length === rule_count && wrong.length === 0,
    `${items.length} != ${rule_count}; ${wrong.map((r) => r.id).join(", ")}`);
  check("rules button says it is expanded",
    (await page.getAttribute("#docs tbody tr:first-child button.rules", "aria-expanded")) === "true");

  // The chart.
  if (report.history) {
    const points = await page.$$eval("#trend circle[data-point]", (c) => c.map((x) => +x.dataset.blocking));
    check("chart has one point per commit", points.length === report.history.points.length,
      `${points.length} != ${report.history.points.length}`);
    check("chart points carry the blocking counts",
      points.every((b, i) => b === report.history.points[i].blocking));
    const lines = await page.$$eval("#trend polyline[data-area]", (l) => l.length);
    check("one line per area", lines === report.areas.length);
    check("chart is labelled", (await page.getAttribute("#trend", "role")) === "img" &&
      (await page.$eval("#trend-t", (t) => t.textContent)).length > 0);
  }

  // Rendering time: layout of the whole page.
  const render_ms = await page.evaluate(() => {
    const t = performance.now(); document.body.offsetHeight; void document.body.getBoundingClientRect();
    const nav = performance.getEntriesByType("navigation")[0];
    return Math.round(nav ? nav.loadEventEnd : performance.now() - t);
  });
  console.log(`note render ${render_ms} ms (navigation to load end)`);

  if (shot) {
    await page.setViewportSize({ width: 1100, height: 1300 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot, fullPage: false });
  }

  // Accessibility: axe-core from the local file, run inside the page, in
  // the light and the dark colour scheme (contrast differs).
  await page.evaluate(axe_source);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await page.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ["violations"] }));
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    check(`axe-core (${scheme}): no serious or critical violation`, serious.length === 0,
      serious.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(" | ")})`).join("; "));
    for (const v of result.violations.filter((v) => !serious.includes(v))) console.log(`note axe ${scheme} ${v.impact}: ${v.id}`);
  }
  const dark_bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check("dark scheme has a dark background", dark_bg === "rgb(18, 18, 18)", dark_bg);

  // Print: no controls, every row that the filters let through.
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  const printed = await page.evaluate(() => ({
    filters: getComputedStyle(document.querySelector(".filters")).display,
    rows: Array.from(document.querySelectorAll("#docs tbody tr:not(.detail)")).filter((r) => getComputedStyle(r).display !== "none").length,
  }));
  check("print hides the controls and shows every row", printed.filters === "none" && printed.rows === report.documents.length,
    JSON.stringify(printed));
  await page.emulateMedia({ media: "screen" });

  check("no console error or page error", problems.length === 0, problems.slice(0, 5).join(" | "));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
