// Starts real VS Code (code-server from .tools/, see ensureTools.mjs) offline and isolated, for `npm start`,
// the UI tests and the extension-host tests. Everything it writes (user data, extensions, XDG dirs, TMPDIR,
// its log) goes into one scratch folder, so runs never see each other or the user's own VS Code.
//
//   const cs = await startCodeServer({ root, folder: '/abs/workspace', settings: { 'podProfiler.x': 1 } });
//   page.goto(cs.folderUrl({ extensionTestsPath }));   ...   await cs.stop();
//
// How the extension under development gets loaded (both verified here with code-server 4.139.1):
//   - Installed: the repo is symlinked into --extensions-dir as `pod-profiler.pod-profiler-VERSION`, so a plain
//     URL works (what `npm start` prints and the UI tests open). Default unless smokeTestDriver is set.
//   - Development host: a `payload` URL parameter with extensionDevelopmentPath (and extensionTestsPath for
//     extension-host tests), as `code --extensionDevelopmentPath` does. code-server honours the payload ONLY
//     when started with `--vscode-option enable-smoke-test-driver` (without it the payload is silently
//     ignored); the window title then starts with "[Extension Development Host]".
// This file must not use import.meta: tests load it at run time by path (see test/support/codeServer.ts).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLEAN_WINDOW_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const port = srv.address().port;
  await new Promise((r) => srv.close(r));
  return port;
}

function codeServerEntry(root) {
  return join(root, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function healthy(url) {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * @param {object} o
 * @param {string} o.root             repository root (holds package.json, .tools/, node_modules/.bin/node)
 * @param {string} [o.folder]         workspace folder opened by folderUrl()
 * @param {number} [o.port]           0 or unset: a free port
 * @param {string} [o.host]           default 127.0.0.1
 * @param {Record<string, unknown>} [o.settings]  user settings added to the clean-window ones
 * @param {boolean} [o.smokeTestDriver]  --vscode-option enable-smoke-test-driver (extension-host tests)
 * @param {boolean} [o.installLink]   symlink root into --extensions-dir as an installed extension
 *                                    (default: when smokeTestDriver is off)
 * @param {string} [o.scratchDir]     where to keep state (default: a new temp dir, removed by stop())
 * @param {string} [o.logFile]        code-server's stdout/stderr (default: scratch/code-server.log)
 * @param {boolean} [o.echo]          also copy its output to this process's stderr
 * @param {number} [o.timeoutMs]      readiness timeout (default 60 s)
 * @param {Record<string, string>} [o.env]  extra environment (the extension host inherits it)
 * @param {boolean} [o.keepScratch]   keep the scratch dir after stop() (to read logs)
 */
export async function startCodeServer(o) {
  const root = resolve(o.root);
  const entry = codeServerEntry(root);
  if (!existsSync(entry)) throw new Error(`code-server is not installed in ${root}/.tools: run node scripts/ensureTools.mjs`);
  const node = join(root, 'node_modules', '.bin', 'node');
  if (!existsSync(node)) throw new Error('node_modules/.bin/node (Node 24) is missing: run npm ci');
  const host = o.host ?? '127.0.0.1';
  const port = o.port || (await freePort());
  const ownScratch = !o.scratchDir;
  const scratch = o.scratchDir ?? mkdtempSync(join(tmpdir(), 'pod-profiler-code-server-'));
  const dirs = {
    userData: join(scratch, 'user-data'),
    extensions: join(scratch, 'extensions'),
    config: join(scratch, 'config'),
    data: join(scratch, 'xdg-data'),
    cache: join(scratch, 'xdg-cache'),
    state: join(scratch, 'xdg-state'),
    tmp: join(scratch, 'tmp'),
    home: join(scratch, 'home'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...CLEAN_WINDOW_SETTINGS, ...(o.settings ?? {}) }, null, 2));
  const installLink = o.installLink ?? !o.smokeTestDriver;
  if (installLink) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    symlinkSync(root, join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  }
  const configFile = join(dirs.config, 'config.yaml');
  writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);

  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
  ];
  if (o.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const env = {
    ...process.env,
    PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    EXTENSIONS_GALLERY: '{}',
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: dirs.tmp,
    VSCODE_PROXY_URI: '',
    ...(o.env ?? {}),
  };
  // Our own test runner's variables would make code-server's Node think it is a test child.
  for (const k of Object.keys(env)) if (k.startsWith('NODE_TEST') || k === 'NODE_OPTIONS') delete env[k];
  delete env.PORT; // code-server lets $PORT override --bind-addr

  const logFile = o.logFile ?? join(scratch, 'code-server.log');
  const log = createWriteStream(logFile);
  // detached: its own process group (setsid), so stop() ends code-server and every child it forked.
  const child = spawn(node, args, { cwd: o.folder ?? root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk) => {
    log.write(chunk);
    if (output.length < 64 * 1024) output += chunk.toString();
    if (o.echo) process.stderr.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  const killGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {}
  };
  // If this process dies without calling stop(), do not leave code-server behind.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (!exited) {
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(t);
      killGroup('SIGKILL'); // stragglers of the group (extension host, pty host)
    }
    await new Promise((r) => log.end(r));
    if (ownScratch && !o.keepScratch) rmSync(scratch, { recursive: true, force: true });
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (!(await healthy(url))) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready:\n${output.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${o.timeoutMs ?? 60_000} ms:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }

  /** The workbench URL for a folder; with the smoke-test driver, the extension under development (and tests)
   * ride in the payload. */
  const folderUrl = (opts = {}) => {
    const folder = opts.folder ?? o.folder;
    const params = new URLSearchParams();
    if (folder) params.set('folder', resolve(folder));
    const payload = [];
    const remote = (p) => `vscode-remote://${host}:${port}${resolve(p)}`;
    // The payload is only honoured with the smoke-test driver (see the header).
    const dev = opts.extensionDevelopmentPath === undefined ? (o.smokeTestDriver ? root : null) : opts.extensionDevelopmentPath;
    if (dev) payload.push(['extensionDevelopmentPath', remote(dev)]);
    if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
    if (payload.length) params.set('payload', JSON.stringify(payload));
    return `${url}/?${params.toString()}`;
  };

  return {
    url,
    port,
    host,
    scratch,
    logFile,
    folderUrl,
    /** Output so far (first 64 KiB), for failure messages. */
    output: () => output,
    stop,
    exited: () => exited,
  };
}

/** True when code-server is installed (tests skip with a clear message otherwise). */
export function codeServerInstalled(root) {
  return existsSync(codeServerEntry(resolve(root)));
}

