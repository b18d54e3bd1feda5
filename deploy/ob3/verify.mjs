// Verifies a Gramota Open Badges 3.0 credential the way an outside verifier does, with the Digital Credentials
// Consortium's stack: the eddsa-rdfc-2022 Data Integrity proof against the issuer's did:web document, and each
// BitstringStatusListEntry against its signed status list credential. Contexts come only from the packages
// (securityLoader, offline); the DID document and the status lists are fetched from Gramota itself.
//
//   node deploy/ob3/verify.mjs credential.json [--gramota http://127.0.0.1:8000]
//
// --gramota: where to fetch did.json and status lists from instead of the https address the did:web and the
// status list URLs name (a test, or a deployment reached by another address). Prints one JSON object:
// {"verified": bool (the proof holds), "status": {"revocation": bool (the bit is set), ...}, "errors": [...],
// "checks": {valid_signature, issuer_did_resolves, revocation_status, expiration: bool}} and exits 0 when verified
// and no status bit is set, 1 when not verified or a status bit is set, 2 on bad usage.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalcredentials/vc';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';

const args = process.argv.slice(2);
const file = args.find(a => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--gramota');
const gramotaAt = args.includes('--gramota') ? args[args.indexOf('--gramota') + 1].replace(/\/$/, '') : null;
if(!file) {
  console.error('usage: node verify.mjs credential.json [--gramota BASE_URL]');
  process.exit(2);
}
const credential = JSON.parse(readFileSync(file, 'utf8'));

// did:web:host%3Aport[:path] -> host:port and /.well-known/did.json (or /path/did.json)
function didWeb(did) {
  const parts = did.split(':').slice(2).map(decodeURIComponent);
  const host = parts.shift();
  return {host, path: parts.length ? '/' + parts.join('/') + '/did.json' : '/.well-known/did.json'};
}

async function fetchJson(url) {
  const res = await fetch(url, {headers: {accept: 'application/json'}});
  if(!res.ok) {
    throw new Error(`NotFoundError: ${url} answered ${res.status}`);
  }
  return res.json();
}

// Gramota's own endpoints (on the issuer's host): its DID document and the status lists the credential names
const issuerId = typeof credential.issuer === 'object' ? credential.issuer.id : credential.issuer;
if(!issuerId || !issuerId.startsWith('did:web:')) {
  console.log(JSON.stringify({verified: false, status: {}, errors: [`issuer ${issuerId} is not a did:web`]}));
  process.exit(1);
}
const {host, path} = didWeb(issuerId);
const onIssuerHost = url => {
  try {
    return new URL(url).host === host;
  } catch {
    return false;
  }
};
const from = url => gramotaAt ? gramotaAt + new URL(url).pathname : url;
const loader = securityLoader();
const didDocument = await fetchJson(from(`https://${host}${path}`));
loader.addStatic(issuerId, didDocument);
for(const vm of didDocument.verificationMethod || []) {
  loader.addStatic(vm.id, {'@context': didDocument['@context'], ...vm});
}
const statuses = [].concat(credential.credentialStatus || []);
for(const s of statuses) {
  if(onIssuerHost(s.statusListCredential)) {
    loader.addStatic(s.statusListCredential, await fetchJson(from(s.statusListCredential)));
  }
}
const documentLoader = loader.build();
const suite = new DataIntegrityProof({cryptosuite});

const result = await vc.verifyCredential({
  credential, suite, documentLoader,
  checkStatus: statuses.length ? checkStatus : undefined
});
const status = {};
// a status result is "verified" when its bit is clear; a bit set reads as {revocation: true} (revoked)
for(const r of result.statusResult?.results || []) {
  status[r.credentialStatus.statusPurpose] = !r.verified;
}
const errors = [];
const collect = e => {
  if(!e) return;
  if(Array.isArray(e)) return e.forEach(collect);
  errors.push(e.message || String(e));
  collect(e.errors);
};
collect(result.error);
collect(result.statusResult?.error);
for(const r of result.results || []) collect(r.error);
if(process.env.OB3_DEBUG) console.error(JSON.stringify(result, null, 1));
// verified: the proof (signature, key, purpose, dates) holds, whatever the status lists say
const proofVerified = (result.results || []).length > 0 && result.results.every(r => r.verified);
const out = {verified: proofVerified && !errors.length, status, errors,
  checks: Object.fromEntries((result.log || []).map(l => [l.id, l.valid]))};
console.log(JSON.stringify(out));
process.exit(out.verified && !Object.values(status).some(Boolean) ? 0 : 1);
