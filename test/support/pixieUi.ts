// The Pixie steps of the real-VS-Code UI tests, driven like a user: the API key through its command, Profile Pod
// through its pickers against the fake cluster, and the status bar item of the active profile.
import type { Locator, Page } from 'playwright-core';
import { dismissNotifications, notificationTexts, pickRow, runCommand, screenshot } from './workbench';

/** Palette "Set Pixie API Key", types the key into the password box, Enter; waits for the confirmation. */
export async function setPixieApiKey(page: Page, key: string, shot?: string): Promise<void> {
  await runCommand(page, 'Pod Profiler: Set Pixie API Key');
  // The palette's input turns into the key's input box: wait for its title before typing.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Pixie API key' }).waitFor({ timeout: 20_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(key);
  if (shot) await screenshot(page, shot);
  await input.press('Enter');
  await page.locator('.notification-toast', { hasText: 'Pixie API key saved' }).last().waitFor({ timeout: 10_000 });
  await dismissNotifications(page);
}

/** Palette "Profile Pod" -> context -> namespace shop -> pod -> the Pixie window row matching `window`. */
export async function profilePodWithPixie(page: Page, o: { context: string; pod: string; window: RegExp }): Promise<void> {
  await runCommand(page, 'Pod Profiler: Profile Pod');
  const title = (t: RegExp) => page.locator('.quick-input-widget .quick-input-title', { hasText: t }).waitFor({ timeout: 20_000 });
  await title(/context/i);
  await pickRow(page, o.context);
  await title(/namespace/i);
  await pickRow(page, /^shop/);
  // The pod list loads while the picker is open: pick once the rows are there.
  await title(/pod in shop/i);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: o.pod }).waitFor({ timeout: 20_000 });
  await pickRow(page, o.pod);
  await title(/Pixie time window/i);
  await pickRow(page, o.window).catch(async (e: unknown) => {
    await screenshot(page, 'pixie-failed-window-pick');
    throw new Error(`no window picker; notifications: ${JSON.stringify(await notificationTexts(page))}`, { cause: e });
  });
}

/** The status bar entry of the active profile (the one whose label names `text`). */
export function profileStatusItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
}

/** Clicks the profile's status bar entry and picks one of its actions. */
export async function statusBarAction(page: Page, item: Locator, action: string | RegExp): Promise<string> {
  await item.locator('a, .statusbar-item-label').first().click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Pod Profiler' }).waitFor({ timeout: 10_000 });
  return pickRow(page, action, 10_000);
}
