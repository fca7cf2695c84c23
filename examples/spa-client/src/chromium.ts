// Debian's Chromium through playwright-core, offline: every request that leaves loopback
// is blocked and remembered, and script errors on the page are collected.
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';

export type OfflinePage = { browser: Browser; page: Page; blocked: string[]; pageErrors: string[] };

export async function offlinePage(options: BrowserContextOptions = {}): Promise<OfflinePage> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext(options);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return { browser, page, blocked, pageErrors };
}
