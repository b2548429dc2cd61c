// Validates SARIF files against the official SARIF 2.1.0 JSON schema (the copy npm's
// @microsoft/jest-sarif ships, draft-04), with that package's Ajv.
// Usage: node validate-sarif.js TOOLS_DIR FILE...   (exit 1 on the first invalid file)
'use strict';
const fs = require('fs');
const path = require('path');

const tools = path.resolve(process.argv[2]);
const files = process.argv.slice(3);
const from = (p) => require(path.join(tools, 'node_modules', p));
const Ajv = from('ajv');
const schema = from('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

const ajv = new Ajv({ schemaId: 'auto', allErrors: true, jsonPointers: true });
ajv.addMetaSchema(from('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed = 1;
    continue;
  }
  if (!validate(doc)) {
    for (const err of validate.errors.slice(0, 10)) {
      console.error(`${file}: ${err.dataPath || '/'} ${err.message}`);
    }
    failed = 1;
  } else {
    console.log(`${file}: valid SARIF 2.1.0`);
  }
}
process.exit(failed);
