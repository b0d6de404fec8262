// The CloudEvents JavaScript SDK (npm `cloudevents`) as an independent client of a running
// pacifica-notifications: it sends binary, structured and batch events to /receive, and parses
// with HTTP.toEvent what a subscriber receives. Exit 0 when every check passed.
// Usage: node receive_sdk_test.mjs <path to pacifica-notifications>
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudEvent, HTTP } from "cloudevents";

const serverBinary = process.argv[2];
if (!serverBinary) {
  console.error("usage: node receive_sdk_test.mjs <path to pacifica-notifications>");
  process.exit(2);
}
const DEADLINE_MS = 30000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// A subscriber that records every delivery and answers 200.
function startSubscriber() {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{}");
      for (const w of waiters.splice(0)) w();
    });
  });
  const waitFor = async (n) => {
    const until = Date.now() + DEADLINE_MS;
    while (received.length < n) {
      if (Date.now() > until) throw new Error(`only ${received.length} of ${n} deliveries arrived`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, until - Date.now()).unref();  // must not keep node alive
      });
    }
  };
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, received, waitFor, port: server.address().port })));
}

// Starts the server on a free port with a private SQLite database; resolves with its base URL.
function startServer(dir) {
  const child = spawn(serverBinary, ["-a", "127.0.0.1", "-p", "0"], {
    env: { ...process.env, HOME: dir, POLICY_URL: "", PEEWEE_URL: `sqlite:///${join(dir, "db.sqlite")}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), DEADLINE_MS);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on http:\/\/([0-9.]+):(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: `http://${m[1]}:${m[2]}`, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

async function post(base, path, message, extraHeaders = {}) {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { ...message.headers, ...extraHeaders },
    body: message.body,
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "pn-js-"));
  const subscriber = await startSubscriber();
  const server = await startServer(dir);
  try {
    const target = `http://127.0.0.1:${subscriber.port}/hook`;
    const sub = await post(server.base, "/eventmatch", {
      headers: { "Content-Type": "application/json", "Http-Remote-User": "js" },
      body: JSON.stringify({ name: "js sdk", jsonpath: '$[?(@.type = "org.example.js")]', target_url: target }),
    });
    assert.equal(sub.status, 200, sub.text);

    const sent = [];
    const binaryEvent = new CloudEvent({
      type: "org.example.js", source: "/js/binary", data: { n: 1, word: "café" }, myext: "hello world",
    });
    const binary = await post(server.base, "/receive", HTTP.binary(binaryEvent));
    assert.equal(binary.status, 200, binary.text);
    assert.match(binary.text, UUID);
    assert.equal(binary.type, "text/plain; charset=utf-8");
    sent.push(binaryEvent);

    const structuredEvent = new CloudEvent({
      type: "org.example.js", source: "/js/structured", datacontenttype: "application/json",
      data: { list: [1, 2, 3] },
    });
    const structured = await post(server.base, "/receive", HTTP.structured(structuredEvent));
    assert.equal(structured.status, 200, structured.text);
    assert.match(structured.text, UUID);
    sent.push(structuredEvent);

    const textEvent = new CloudEvent({
      type: "org.example.js", source: "/js/text", datacontenttype: "text/plain", data: "plain words",
    });
    const text = await post(server.base, "/receive", HTTP.binary(textEvent));
    assert.equal(text.status, 200, text.text);
    sent.push(textEvent);

    // A batch as the SDK itself reads one (checked with its own deserializer first).
    const batchEvents = [1, 2].map((i) => new CloudEvent({
      type: "org.example.js", source: "/js/batch", data: { i },
    }));
    const batchMessage = {
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify(batchEvents.map((e) => e.toJSON())),
    };
    assert.equal(HTTP.toEvent(batchMessage).length, 2);
    const batch = await post(server.base, "/receive", batchMessage);
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.type, "application/json");
    const uuids = JSON.parse(batch.text);
    assert.equal(uuids.length, 2);
    for (const u of uuids) assert.match(u, UUID);
    sent.push(...batchEvents);

    // An event the SDK builds but this service must refuse: 1.0 without a source.
    const bad = await post(server.base, "/receive", {
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ specversion: "1.0", id: "x", type: "org.example.js" }),
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(JSON.parse(bad.text).message,
      'CloudEvents 1.0 event lacks the required attribute "source"');

    await subscriber.waitFor(sent.length);
    const byId = new Map(sent.map((e) => [e.id, e]));
    for (const delivery of subscriber.received) {
      assert.match(delivery.headers["content-type"], /^application\/cloudevents\+json/);
      const got = HTTP.toEvent({ headers: delivery.headers, body: delivery.body });
      const want = byId.get(got.id);
      assert.ok(want, `unexpected delivery ${delivery.body}`);
      byId.delete(got.id);
      assert.equal(got.specversion, "1.0");
      assert.equal(got.type, want.type);
      assert.equal(got.source, want.source);
      assert.deepEqual(got.data, want.data);
      if (want.myext) assert.equal(got.myext, want.myext);
    }
    assert.equal(byId.size, 0, `never delivered: ${[...byId.keys()]}`);
    console.log(`ok: ${sent.length} events sent with the CloudEvents SDK, all delivered and parsed`);
  } finally {
    server.child.removeAllListeners("exit");
    const exited = new Promise((resolve) => server.child.on("exit", (code) => resolve(code)));
    server.child.kill("SIGTERM");
    const code = await exited;
    subscriber.server.close();
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server exit code ${code} after SIGTERM:\n${server.output()}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
