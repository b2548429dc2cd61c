// Runs @action-validator/core's validateWorkflow (the library behind @action-validator/cli) over
// every *.yml directly inside a directory, in one Node process, and prints files and errors seen.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";

const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();
let errors = 0;
for (const file of files) {
  errors += validateWorkflow(readFileSync(join(dir, file), "utf8")).errors.length;
}
console.log(`action-validator (core): ${files.length} files, ${errors} errors`);
