// Keeps /openapi.json true: starts the real server, checks the served document against the
// OpenAPI 3.1 schema, then makes real requests to every documented operation (valid and invalid
// ones) and validates each answer — status documented, media type documented, body matching the
// schema — and each valid request body against the documented request schema. Fails when an
// operation of the document was never exercised.
// Usage: node validate.mjs <dir with pacifica-notifications>
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startReceiver, startServer } from './lib/server.mjs';

const binDir = process.argv[2];
if (!binDir) {
  console.error('usage: node validate.mjs <dir holding the pacifica-notifications binary>');
  process.exit(2);
}

const failures = [];
const exercised = new Set();
let doc;
let ajv;

const pointer = (parts) => 'openapi.json#/' + parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function resolve(obj) {
  if (obj && obj.$ref) {
    assert.ok(obj.$ref.startsWith('#/'), `only local $ref expected, got ${obj.$ref}`);
    return obj.$ref.slice(2).split('/').reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  return obj;
}

function validateAgainst(schemaPointer, value, what) {
  const validate = ajv.compile({ $ref: schemaPointer });
  if (!validate(value)) {
    failures.push(`${what}: ${ajv.errorsText(validate.errors)}\n    value: ${JSON.stringify(value).slice(0, 400)}`);
  }
}

// One request; its answer is checked against the operation `template` + method.
async function exchange(base, { method, path, template, headers = {}, body, validRequest = true }) {
  const op = doc.paths[template]?.[method.toLowerCase()];
  const what = `${method} ${path}`;
  if (!op) { failures.push(`${what}: operation ${method} ${template} is not in the document`); return null; }
  exercised.add(`${method.toLowerCase()} ${template}`);
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] ??= 'application/json';
    const media = init.headers['Content-Type'].split(';')[0];
    if (validRequest) {
      const content = op.requestBody?.content?.[media];
      if (!content) failures.push(`${what}: request media type ${media} is not documented`);
      else validateAgainst(pointer(['paths', template, method.toLowerCase(), 'requestBody', 'content', media, 'schema']), typeof body === 'string' ? JSON.parse(body) : body, `${what} request`);
    }
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  const status = String(res.status);
  const documented = op.responses[status];
  if (!documented) { failures.push(`${what}: status ${status} is not documented (body ${text.slice(0, 200)})`); return { status: res.status, text }; }
  const response = resolve(documented);
  if (!response.content) {
    if (text !== '') failures.push(`${what}: ${status} is documented without a body but got ${text.slice(0, 200)}`);
    return { status: res.status, text };
  }
  const media = (res.headers.get('content-type') || '').split(';')[0].trim();
  if (!response.content[media]) {
    failures.push(`${what}: ${status} answered ${media}, documented ${Object.keys(response.content).join(', ')}`);
    return { status: res.status, text };
  }
  const schemaPath = documented.$ref
    ? [...documented.$ref.slice(2).split('/'), 'content', media, 'schema']
    : ['paths', template, method.toLowerCase(), 'responses', status, 'content', media, 'schema'];
  let value = text;
  if (media.endsWith('json')) {
    try { value = JSON.parse(text); } catch (e) { failures.push(`${what}: ${media} body is not JSON: ${text.slice(0, 200)}`); return { status: res.status, text }; }
  }
  validateAgainst(pointer(schemaPath), value, `${what} -> ${status}`);
  return { status: res.status, text, json: media.endsWith('json') ? value : undefined };
}

async function main() {
  const target = await startReceiver(200);
  const policy = await startReceiver(200);
  const server = await startServer(binDir, { POLICY_URL: policy.url });
  try {
    const base = server.url;
    doc = await (await fetch(`${base}/openapi.json`)).json();
    const checked = await new Validator().validate(doc);
    if (!checked.valid) failures.push(`the document is not valid OpenAPI 3.1: ${JSON.stringify(checked.errors).slice(0, 2000)}`);
    assert.equal(doc.openapi, '3.1.0');
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');

    const alice = { 'Http-Remote-User': 'alice' };
    const bob = { 'Http-Remote-User': 'bob' };
    const E = '/eventmatch/{event_uuid}';
    const D = '/eventmatch/{event_uuid}/deliveries';
    const x = (method, path, template, extra = {}) => exchange(base, { method, path, template, ...extra });

    await x('GET', '/health', '/health');
    await x('GET', '/openapi.json', '/openapi.json');
    await x('GET', '/metrics', '/metrics');
    await x('GET', '/ui', '/ui', { headers: alice });
    await x('GET', '/ui/missing.png', '/ui');
    await x('GET', '/eventmatch', '/eventmatch', { headers: alice });  // empty list

    const created = await x('POST', '/eventmatch', '/eventmatch', {
      headers: alice,
      body: { name: 'everything', jsonpath: '$.type', target_url: `${target.url}/hook`, extensions: { note: 'x' },
              auth: { type: 'header', header: { type: 'Bearer', credentials: 'secret' } } },
    });
    assert.equal(created?.status, 200, `create failed: ${created?.text}`);
    const uuid = created.json.uuid;
    await x('POST', '/eventmatch', '/eventmatch', { headers: alice, body: { name: 'no path' }, validRequest: false });
    await x('POST', '/eventmatch', '/eventmatch', { headers: alice, body: '{not json', validRequest: false });
    await x('GET', '/eventmatch', '/eventmatch', { headers: alice });
    await x('GET', `/eventmatch/${uuid}`, E, { headers: alice });
    await x('GET', `/eventmatch/${uuid}`, E, { headers: bob });
    await x('GET', '/eventmatch/not-a-uuid', E, { headers: alice });
    await x('PUT', `/eventmatch/${uuid}`, E, { headers: alice, body: { name: 'renamed' } });
    await x('PUT', `/eventmatch/${uuid}`, E, { headers: alice, body: { target_url: 'ftp://x' }, validRequest: false });
    await x('PUT', `/eventmatch/${uuid}`, E, { headers: bob, body: { name: 'theirs' } });

    const one = await x('POST', '/receive', '/receive', {
      body: { specversion: '1.0', id: 'ev-1', type: 'org.example.test', source: '/tests', data: { a: 1 } },
    });
    assert.equal(one?.status, 200, `receive failed: ${one?.text}`);
    await x('POST', '/receive', '/receive', {
      headers: { 'Content-Type': 'application/cloudevents-batch+json' },
      body: [{ specversion: '1.0', id: 'ev-2', type: 't', source: '/tests' }, { specversion: '1.0', id: 'ev-3', type: 't', source: '/tests' }],
    });
    await x('POST', '/receive', '/receive', { body: '[1, 2', validRequest: false });
    await x('POST', '/receive', '/receive', { headers: { 'Content-Type': 'text/csv' }, body: 'a,b', validRequest: false });

    await target.waitFor(3);  // the three events were delivered: deliveries now have attempts
    const deliveries = await x('GET', `/eventmatch/${uuid}/deliveries`, D, { headers: alice });
    assert.ok(deliveries?.json?.length >= 3, `expected 3 deliveries, got ${deliveries?.text}`);
    await x('GET', `/eventmatch/${uuid}/deliveries`, D, { headers: bob });
    await x('GET', '/eventmatch/zzz/deliveries', D, { headers: alice });

    await x('POST', '/eventmatch/test', '/eventmatch/test', { body: { jsonpath: '$.data.a', event: { data: { a: [1, 2] } } } });
    await x('POST', '/eventmatch/test', '/eventmatch/test', { body: { jsonpath: '$[::0]', event: [1] } });
    await x('POST', '/eventmatch/test', '/eventmatch/test', { body: { jsonpath: '$.', event: {} }, validRequest: false });

    await x('DELETE', `/eventmatch/${uuid}`, E, { headers: bob });
    await x('DELETE', `/eventmatch/${uuid}`, E, { headers: alice });
    await x('DELETE', `/eventmatch/${uuid}`, E, { headers: alice });

    for (const [p, item] of Object.entries(doc.paths)) {
      for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
        if (item[m] && !exercised.has(`${m} ${p}`)) failures.push(`operation ${m.toUpperCase()} ${p} was never exercised`);
      }
    }
  } finally {
    await server.stop();
    await target.close();
    await policy.close();
  }
  if (failures.length) {
    console.error(`${failures.length} OpenAPI mismatch(es):\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`OpenAPI: ${exercised.size} operations exercised, every answer matches /openapi.json`);
}

main().catch((e) => { console.error(e); process.exit(1); });
