// Runs the mocha suites of test/vscode inside a real VS Code extension host (code-server + headless
// Chromium), the way @vscode/test-electron does on a desktop: the smoke-test driver option makes the
// workbench call window.codeAutomationExit(code) when the tests' run() settles.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from './codeServer';
import { launchBrowser, screenshot } from './workbench';
import { repoRoot } from './repoRoot';
import { keepExtensionLog } from './extensionLog';

export interface ItestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface ExtensionHostRun {
  exitCode: number;
  results: ItestResult[];
  files: string[];
  /** Workbench and extension-host log lines seen in the browser (for failure messages). */
  logs: string[];
  /** What the extension wrote to its own log (the "Pod Profiler" output channel's file), in the end. */
  extensionLog: string;
}

export interface ExtensionHostOptions {
  /** Names the log and screenshot files. */
  name: string;
  /** Workspace folder the window opens. */
  folder: string;
  /** User settings for the window. */
  settings?: Record<string, unknown>;
  /** Environment for code-server and so the extension host (e.g. where the tests find their fixtures). */
  env?: Record<string, string>;
  /** Only tests whose full title matches (mocha grep). */
  grep?: string;
  timeoutMs?: number;
}

export async function runExtensionHostTests(o: ExtensionHostOptions): Promise<ExtensionHostRun> {
  const root = repoRoot();
  const testsIndex = join(root, 'out', 'test', 'vscode', 'index.js');
  if (!existsSync(testsIndex)) throw new Error(`${testsIndex} is missing: run node scripts/build.mjs --tests`);
  const resultsFile = join(root, '.test-output', `itest-results-${o.name}.json`);
  rmSync(resultsFile, { force: true });
  const env: Record<string, string> = { ...(o.env ?? {}), POD_PROFILER_ITEST_RESULTS: resultsFile };
  if (o.grep) env.POD_PROFILER_ITEST_GREP = o.grep;
  const cs = await startCodeServer(o.name, { folder: o.folder, settings: o.settings, smokeTestDriver: true, env });
  const browser = await launchBrowser();
  const logs: string[] = [];
  try {
    const page = await browser.context.newPage();
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (exit = r));
    await page.exposeFunction('codeAutomationLog', (level: string, message: string) => logs.push(`[${level}] ${message}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    page.on('console', (m) => logs.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    await page.goto(cs.folderUrl({ extensionTestsPath: testsIndex }));
    const timeoutMs = o.timeoutMs ?? 5 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`extension-host tests did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    await screenshot(page, `itest-${o.name}-end`).catch(() => undefined);
    let parsed: { files: string[]; results: ItestResult[] } = { files: [], results: [] };
    if (existsSync(resultsFile)) parsed = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const ownLog = keepExtensionLog(o.name, cs.scratch);
    return { exitCode: code, results: parsed.results, files: parsed.files, logs, extensionLog: ownLog };
  } catch (e) {
    const tail = logs.slice(-40).join('\n');
    throw new Error(`${e instanceof Error ? e.message : e}\n--- browser log (last 40) ---\n${tail}\n--- code-server ---\n${cs.output().slice(-3000)}`, { cause: e });
  } finally {
    await browser.close();
    await cs.stop();
  }
}

