// pa11y (HTML_CodeSniffer runner) on several pages with one Chromium: what tests_e2e/pa11y.py runs.
// Each `pa11y` CLI run starts its own browser (about 4 s here); this asks pa11y's API the same
// question (runners ["htmlcs"], the standard given) page after page in one browser.
//
//   node pa11y_run.cjs <node_modules folder> <jobs.json>
//   jobs.json: {"chromeLaunchConfig": {...}, "standard": "WCAG2AA", "timeout": 60000, "concurrency": 3,
//               "jobs": [{"url": "...", "headers": {...}}]}
// Prints a JSON list: [{url, pageUrl, documentTitle, issues: [...]}]; exits 1 if pa11y fails.
"use strict";

const fs = require("fs");
const path = require("path");

const modules = process.argv[2];
const config = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const pa11y = require(path.join(modules, "pa11y"));
const puppeteer = require(path.join(modules, "puppeteer"));

(async () => {
  const browser = await puppeteer.launch(config.chromeLaunchConfig);
  // A few pages at a time: pa11y waits for the network to be idle for 500 ms on each.
  const results = new Array(config.jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < config.jobs.length) {
      const index = next++;
      const job = config.jobs[index];
      const result = await pa11y(job.url, {
        browser,
        runners: ["htmlcs"],
        standard: config.standard,
        timeout: config.timeout,
        headers: job.headers || {},
      });
      results[index] = { url: job.url, pageUrl: result.pageUrl, documentTitle: result.documentTitle, issues: result.issues };
    }
  };
  try {
    await Promise.all(Array.from({ length: config.concurrency || 1 }, worker));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
