// Test helpers shared by tests/openapi and tests/ui: a recording HTTP receiver (policy service
// and webhook target) and the real pacifica-notifications binary started on a free port with
// a scratch SQLite database. Everything listens on 127.0.0.1 only and is stopped by the test.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A server that answers every request with `status` and records it.
export async function startReceiver(status = 200) {
  const requests = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status < 300 ? 'thanks' : 'no');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    // Resolves once `n` requests were received, rejects after `ms`.
    async waitFor(n, ms = 20000) {
      const deadline = Date.now() + ms;
      while (requests.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver got ${requests.length} of ${n} requests in ${ms} ms`);
        await new Promise((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(t); resolve(); });
        });
      }
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// Starts `${binDir}/pacifica-notifications -p 0` and resolves with its base URL once it logged
// that it listens. `env` adds to a clean environment (PEEWEE_URL points into a scratch dir).
export async function startServer(binDir, env = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pn-node-test-'));
  const child = spawn(path.join(binDir, 'pacifica-notifications'), ['-p', '0'], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      PEEWEE_URL: `sqlite:///${dir}/notifications.db`,
      POLICY_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${log}`)), 20000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    log: () => log,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
