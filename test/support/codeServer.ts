// Typed access to scripts/codeServer.mjs (the launcher shared with `npm start`), loaded at run time by path:
// bundling it into out/ would break its own path logic, and one copy keeps start and tests in step.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';
import type * as Launcher from '../../scripts/codeServer.mjs';

export type { CodeServer, CodeServerOptions, FolderUrlOptions } from '../../scripts/codeServer.mjs';

export async function codeServerLauncher(): Promise<typeof Launcher> {
  return (await import(pathToFileURL(join(repoRoot(), 'scripts', 'codeServer.mjs')).href)) as typeof Launcher;
}

/** Starts code-server for this repository; logs land in .test-output/code-server-NAME.log. */
export async function startCodeServer(name: string, o: Omit<Launcher.CodeServerOptions, 'root'>): Promise<Launcher.CodeServer> {
  const launcher = await codeServerLauncher();
  const root = repoRoot();
  if (!launcher.codeServerInstalled(root)) {
    throw new Error('code-server is not installed: run `node scripts/ensureTools.mjs` (npm test does it for you)');
  }
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, '.test-output'), { recursive: true });
  return launcher.startCodeServer({ root, logFile: join(root, '.test-output', `code-server-${name}.log`), ...o });
}
