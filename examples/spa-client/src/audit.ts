// The graphql-http audit suite (GraphQL over HTTP) against /graphql. Every MUST audit must
// pass; a SHOULD audit that does not must be listed, with its reason, in README.md.
import { readFileSync } from 'node:fs';

import { auditServer } from 'graphql-http';

import { ENDPOINT } from './env.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const results = await auditServer({ url: ENDPOINT });
let failed = 0;
for (const r of results) {
  const level = r.name.split(' ')[0];
  if (r.status === 'ok') {
    console.log(`ok   ${r.id} ${r.name}`);
  } else if (level === 'MAY') {
    console.log(`may  ${r.id} ${r.name}: ${r.reason}`);
  } else if (r.status === 'warn' && readme.includes(r.id)) {
    console.log(`note ${r.id} ${r.name} (explained in README)`);
  } else {
    failed += 1;
    console.log(`FAIL ${r.id} ${r.name}: ${r.reason}`);
  }
  if (r.status === 'error' && level !== 'MUST') {
    console.log(`     (${level} audit reported as an error)`);
  }
}
const must = results.filter((r) => r.name.startsWith('MUST'));
console.log(`audit: ${results.length} audits, ${must.length} MUST, ${failed} failing`);
if (failed > 0) {
  process.exit(1);
}
