// `npm start`: builds the extension, makes sure code-server is installed, and serves real VS Code on
// http://127.0.0.1:PORT (default 8080, env PORT) with the extension installed and the demo workspace demo/
// open; its recorded profile is overlaid on main.go as soon as the window loads. Ctrl+C stops everything.
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './ensureTools.mjs';
import { startCodeServer } from './codeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
const host = '127.0.0.1';
const folder = join(root, 'demo');

function fail(msg) {
  process.stderr.write(`[start] ${msg}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number (got ${process.env.PORT})`);

console.log('[start] building the extension');
if (spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) fail('build failed');

try {
  // The browser is the user's own; code-server's native addon build needs libkrb5-dev only.
  ensureTools({ debian: ['libkrb5-dev'] });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

// A clear message beats code-server's own when the port is taken.
await new Promise((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => fail(`port ${port} on ${host} is in use: stop what runs there or set PORT, e.g. PORT=8081 npm start`));
  probe.listen(port, host, () => probe.close(resolve));
});

const logFile = join(root, '.test-output', 'code-server-start.log');
spawnSync('mkdir', ['-p', join(root, '.test-output')]);
let cs;
try {
  cs = await startCodeServer({ root, host, port, folder, installLink: true, logFile });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
const url = cs.folderUrl();
console.log(`
  Pod Profiler demo in real VS Code (code-server):

    ${url}

  The recorded profile demo/profiles/go-cpu.pb.gz is overlaid on main.go (CodeLens, gutter heat, hovers);
  try "Pod Profiler: Show Flamegraph" from the command palette (F1). See demo/README.md.
  code-server log: ${logFile}
  Ctrl+C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping code-server');
  await cs.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// Keep running while code-server does; if it dies, say so and exit.
const timer = setInterval(() => {
  const ex = cs.exited();
  if (ex && !stopping) {
    clearInterval(timer);
    process.stderr.write(`[start] code-server exited (${ex.code ?? ex.signal}); see ${logFile}\n`);
    process.exit(1);
  }
}, 1000);
