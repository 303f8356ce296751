// What every UI test starts with: code-server on a workspace folder and a Chromium page to drive it, stopped
// together after the test.
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './codeServer';
import { launchBrowser, type WorkbenchBrowser } from './workbench';
import { keepExtensionLog } from './extensionLog';

export interface WorkbenchSession {
  readonly cs: CodeServer;
  readonly browser: WorkbenchBrowser;
  readonly page: Page;
  stop(): Promise<void>;
}

export async function startWorkbenchSession(name: string, folder: string): Promise<WorkbenchSession> {
  const cs = await startCodeServer(name, { folder });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  return {
    cs,
    browser,
    page,
    async stop() {
      await browser.close();
      keepExtensionLog(name, cs.scratch);
      await cs.stop();
    },
  };
}
