// Playwright helpers that drive the real VS Code workbench served by code-server, in Debian's headless
// Chromium. Selectors are the ones verified in ../shared/NOTES.md; every wait has a timeout and failures
// say what was on screen.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './repoRoot';

export const SCREENSHOTS = join(repoRoot(), '.test-output', 'screenshots');

export interface WorkbenchBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Debian Chromium, headless, fresh profile, no background networking (the machine has no internet). */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<WorkbenchBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'pod-profiler-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a workbench URL and waits until the editor area and the status bar are drawn. */
export async function openWorkbench(page: Page, url: string, timeout = 90_000): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout });
}

/** Runs a command from the palette by its title as shown ("Pod Profiler: Profile Pod..."). */
export async function runCommand(page: Page, title: string, timeout = 20_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Focus the workbench first; F1 is swallowed while focus is inside a webview iframe.
  await page.locator('.monaco-workbench').focus().catch(() => undefined);
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch (e) {
    const rows = await quickPickLabels(page);
    throw new Error(`command "${title}" not in the palette; rows: ${JSON.stringify(rows)}`, { cause: e });
  }
  await row.click();
}

/** Labels of the rows the quick pick shows now. */
export async function quickPickLabels(page: Page): Promise<string[]> {
  return page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
}

/** Waits for a quick-pick row whose text matches, and picks it. */
export async function pickRow(page: Page, label: string | RegExp, timeout = 30_000): Promise<string> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch (e) {
    const title = await page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => '');
    throw new Error(`no quick-pick row matching ${label} (title "${title}"); rows: ${JSON.stringify(await quickPickLabels(page))}`, { cause: e });
  }
  const text = await row.innerText();
  await row.click();
  return text;
}

/** The quick pick's title now (empty when none is open). */
export async function quickPickTitle(page: Page): Promise<string> {
  const w = page.locator('.quick-input-widget');
  if (!(await w.isVisible())) return '';
  return (await w.locator('.quick-input-title').innerText().catch(() => '')).trim();
}

/** Texts of the CodeLenses the visible editors rendered (also those scrolled out of view). */
export async function codeLensTexts(page: Page): Promise<string[]> {
  return (await page.locator('.monaco-editor .codelens-decoration a').allTextContents()).map((t) => t.trim());
}

/** Waits until some CodeLens text matches (rendered, possibly scrolled out of view). */
export async function waitForCodeLens(page: Page, text: RegExp, timeout = 60_000): Promise<string> {
  const lens = page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: text }).first();
  try {
    await lens.waitFor({ state: 'attached', timeout });
  } catch (e) {
    throw new Error(`no CodeLens matching ${text}; CodeLenses: ${JSON.stringify(await codeLensTexts(page))}`, { cause: e });
  }
  return ((await lens.textContent()) ?? '').trim();
}

/** Opens a workspace file through Quick Open (ctrl+P), like a user. */
export async function quickOpen(page: Page, fileName: string, timeout = 20_000): Promise<void> {
  await page.locator('.monaco-workbench').focus().catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active`, { hasText: fileName }).waitFor({ timeout });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').first().waitFor({ timeout });
}

/** Moves the cursor of the active editor to a line (ctrl+G), scrolling it into view. */
export async function goToLine(page: Page, line: number, timeout = 10_000): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line},` }).waitFor({ timeout });
}

/** The flamegraph webview's content frame: the outer webview iframe, then VS Code's #active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/** Active editor tab label and the cursor's 1-based line, read from the status bar ("Ln 38, Col 1"). */
export async function activeEditorPosition(page: Page): Promise<{ file: string; line: number; column: number }> {
  const tab = page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  const file = ((await tab.getAttribute('data-resource-name').catch(() => null)) ?? (await tab.getAttribute('aria-label').catch(() => null)) ?? '').trim();
  const pos = await page.locator('#status\\.editor\\.selection').innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(pos);
  return { file, line: m ? Number(m[1]) : 0, column: m ? Number(m[2]) : 0 };
}

/** Closes notifications toasts so they do not cover what a screenshot should show. */
export async function dismissNotifications(page: Page): Promise<void> {
  for (const b of await page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .action-label.codicon-close').all()) {
    await b.click().catch(() => undefined);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Texts of notification toasts now on screen (errors the extension showed, progress). */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
}

/** The flamegraph webview's inner document (it exposes window.__flamegraphTest). */
export async function flamegraphFrame(p: Page, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of p.frames()) {
      if (f === p.mainFrame()) continue;
      const has = await f.evaluate(() => typeof (window as unknown as { __flamegraphTest?: unknown }).__flamegraphTest === 'object').catch(() => false);
      if (has) return f;
    }
    await p.waitForTimeout(250);
  }
  throw new Error(`no frame with window.__flamegraphTest; frames: ${p.frames().map((f) => f.url().slice(0, 80)).join(', ')}`);
}

export type { Locator, Page };
