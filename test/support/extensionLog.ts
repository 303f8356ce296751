// The extension's own output channel ("Pod Profiler") as code-server wrote it to its logs folder: kept in
// .test-output/extension-log-NAME.log after a run, since the scratch folder goes with code-server.
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

/** The extension's output-channel log files under code-server's user data (logs/<session>/exthost1/<extension id>/). */
export function extensionLog(scratch: string): string {
  const logs = join(scratch, 'user-data', 'logs');
  if (!existsSync(logs)) return '';
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.includes('pod-profiler.pod-profiler') && f.endsWith('.log'))
    .sort()
    .map((f) => readFileSync(join(logs, f), 'utf8'))
    .join('\n');
}

/** Copies the extension's log of code-server session `name` beside the screenshots; returns its text. */
export function keepExtensionLog(name: string, scratch: string): string {
  const text = extensionLog(scratch);
  const dir = join(repoRoot(), '.test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `extension-log-${name}.log`), text);
  return text;
}
