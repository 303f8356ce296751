// Installs what `npm start` and the real-VS-Code tests need on a fresh Debian 12 machine, and nothing twice:
// Debian packages (chromium, libkrb5-dev for code-server's native addon, kubectl, Go, ctags, clang) through apt-get,
// and code-server from the npm registry into .tools/code-server/, built against the Node 24 of
// node_modules/.bin (code-server refuses older Node). Safe to run from CI: no prompts, no stdin.
// Usage: node scripts/ensureTools.mjs [--code-server-only]
//   As a module: import { ensureTools, codeServerEntry } from './ensureTools.mjs'
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.139.1';
const TOOLS = join(ROOT, '.tools', 'code-server');

/** The file to run with Node 24 to start code-server (its own bin script is a shell wrapper). */
export function codeServerEntry() {
  return join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Node 24 from the devDependency `node`; code-server checks the major version at start. */
export function node24() {
  const p = join(ROOT, 'node_modules', '.bin', 'node');
  if (!existsSync(p)) throw new Error('node_modules/.bin/node is missing: run `npm ci` (or `npm install`) first');
  return p;
}

function say(msg) {
  process.stdout.write(`[ensureTools] ${msg}\n`);
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function run(cmd, args, opts = {}) {
  say(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Debian packages this project needs, each with how to tell it is already there. */
const DEBIAN = [
  { pkg: 'chromium', why: 'headless browser for the UI tests', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'libkrb5-dev', why: "code-server's native addon build", present: () => dpkgInstalled('libkrb5-dev') },
  { pkg: 'kubernetes-client', why: 'kubectl, proves the fake API server faithful', present: () => onPath('kubectl') },
  { pkg: 'golang-go', why: "Go standard library for the resolver's benchmark", present: () => onPath('go') },
  { pkg: 'universal-ctags', why: "ctags, the resolver benchmark's yardstick", present: () => onPath('ctags') },
  { pkg: 'clang', why: "clang++, whose lambda symbols the C++ resolver tests compile and place", present: () => onPath('clang++') },
  { pkg: 'fonts-noto-color-emoji', why: 'the CodeLens flame glyph in headless screenshots', present: () => dpkgInstalled('fonts-noto-color-emoji') },
];

/** @param {string[]} [only] just these packages (npm start needs only libkrb5-dev) */
export function ensureDebianPackages(only) {
  const wanted = only ? DEBIAN.filter((d) => only.includes(d.pkg)) : DEBIAN;
  const missing = wanted.filter((d) => !d.present());
  if (missing.length === 0) {
    say(`Debian packages present: ${wanted.map((d) => d.pkg).join(', ')}`);
    return;
  }
  if (process.platform !== 'linux' || !onPath('apt-get')) {
    throw new Error(`missing ${missing.map((d) => d.pkg).join(', ')} and no apt-get here: install them by hand`);
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (args) => (sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args]) : run('apt-get', args));
  for (const d of missing) say(`missing ${d.pkg} (${d.why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  apt(['update', '-q']);
  // One by one: a package this Debian lacks (kubernetes-client is not in every release) must not block the rest.
  for (const d of missing) {
    try {
      if (sudo.length) run(sudo[0], [...sudo.slice(1), 'apt-get', 'install', '-y', '-q', '--no-install-recommends', d.pkg], { env });
      else run('apt-get', ['install', '-y', '-q', '--no-install-recommends', d.pkg], { env });
    } catch (e) {
      if (d.pkg === 'chromium' || d.pkg === 'libkrb5-dev') throw e;
      say(`warning: ${d.pkg} could not be installed (${e.message}); the tests that need it will say so`);
    }
  }
}

function installedCodeServerVersion() {
  try {
    return JSON.parse(readFileSync(join(TOOLS, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * The environment for an npm run on Node 24. An outer npm (`npm test` started by the system's Node 20) exports
 * its user agent, which code-server's postinstall reads as "the Node version", and NODE / npm_node_execpath
 * pointing at Node 20: those go. Its other settings stay. npm finds its global npmrc next to the Node that runs
 * it, so on Node 24 it would miss the system's (which may hold the registry's CA file): name it explicitly.
 */
export function cleanNpmEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^npm_(config_user_agent|node_execpath|execpath|lifecycle_|package_|command$)/i.test(k) || k === 'NODE') delete env[k];
  }
  if (!env.npm_config_globalconfig) {
    const systemPath = (process.env.PATH ?? '').split(delimiter).filter((d) => !d.endsWith(join('node_modules', '.bin'))).join(delimiter);
    const r = spawnSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8', env: { ...env, PATH: systemPath } });
    const file = r.status === 0 ? r.stdout.trim() : '';
    if (file && existsSync(file)) env.npm_config_globalconfig = file;
  }
  return env;
}

/** Headers of the exact Node 24 in node_modules/.bin, from the npm package that ships them; returns its dir. */
export function ensureNodeHeaders() {
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node', 'package.json'), 'utf8')).version;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = join(ROOT, '.tools', 'node-headers');
  const dir = join(prefix, 'node_modules', pkg);
  let have;
  try {
    have = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {}
  if (have === version && existsSync(join(dir, 'include', 'node', 'node.h'))) return dir;
  say(`fetching Node ${version} headers (${pkg}) for native addon builds`);
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'pod-profiler-node-headers', private: true }) + '\n');
  run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--ignore-scripts', `${pkg}@${version}`], { cwd: prefix, env: cleanNpmEnv() });
  if (!existsSync(join(dir, 'include', 'node', 'node.h'))) throw new Error(`${pkg}@${version} has no include/node/node.h`);
  return dir;
}

export function ensureCodeServer() {
  const have = installedCodeServerVersion();
  if (have === CODE_SERVER_VERSION && existsSync(codeServerEntry())) {
    say(`code-server ${have} present in .tools/code-server`);
    return;
  }
  say(`installing code-server ${CODE_SERVER_VERSION} into .tools/code-server (about 90 s, 600 MB)${have ? ` (replacing ${have})` : ''}`);
  if (have) rmSync(TOOLS, { recursive: true, force: true });
  mkdirSync(TOOLS, { recursive: true });
  // Its own package.json keeps the install out of the project's lockfile and node_modules.
  writeFileSync(join(TOOLS, 'package.json'), JSON.stringify({ name: 'pod-profiler-tools', private: true }, null, 2) + '\n');
  const binDir = dirname(node24());
  const env = {
    ...cleanNpmEnv(),
    // node_modules/.bin first: the postinstall's node-gyp builds against Node 24's headers.
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  // node-gyp must build against Node 24's headers: this machine's npm points nodedir at the system Node 20's,
  // and node-gyp cannot download them (no route to nodejs.org). The registry's node-<os>-<arch> has them.
  env.npm_config_nodedir = ensureNodeHeaders();
  run('npm', ['install', '--prefix', TOOLS, '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { env, cwd: TOOLS });
  if (installedCodeServerVersion() !== CODE_SERVER_VERSION || !existsSync(codeServerEntry())) {
    throw new Error('code-server install finished but its entry point is missing (see the npm output above)');
  }
  say(`code-server ${CODE_SERVER_VERSION} installed`);
}

/** @param {{ codeServerOnly?: boolean, debian?: string[] }} [o] debian: only these Debian packages */
export function ensureTools({ codeServerOnly = false, debian } = {}) {
  if (!codeServerOnly) ensureDebianPackages(debian);
  ensureCodeServer();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureTools({ codeServerOnly: process.argv.includes('--code-server-only') });
  } catch (e) {
    process.stderr.write(`[ensureTools] ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  }
}
