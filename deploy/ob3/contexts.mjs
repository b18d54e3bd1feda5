// Writes every JSON-LD context the DCC security loader serves offline (VC 2.0, Open Badges 3.0.x, DID,
// Multikey, Data Integrity, Bitstring Status List, ...) to one JSON file {url: context}, so that Gramota signs
// with exactly the contexts outside verifiers check with. Run by deploy/setup.sh after `npm ci`:
//   node deploy/ob3/contexts.mjs OUT.json
import {writeFileSync} from 'node:fs';
import {securityLoader} from '@digitalcredentials/security-document-loader';

const out = process.argv[2];
if(!out) {
  console.error('usage: node contexts.mjs OUT.json');
  process.exit(2);
}
const loader = securityLoader();
const contexts = Object.fromEntries(loader.documents);
writeFileSync(out, JSON.stringify(contexts));
console.error(`contexts.mjs: ${Object.keys(contexts).length} contexts -> ${out}`);
