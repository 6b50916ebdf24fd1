/**
 * Debian's Chromium driven by playwright-core (no browser download): a fresh profile per browser, the flags that keep
 * it off the network, and axe-core injected into a page to check it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.GREENLIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Without the background-networking flags the closed network refuses Chromium's own connections. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A browser with a fresh --user-data-dir (a persistent context on a new folder), one page open. */
export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'greenlight-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport,
    // The pages forbid every script (CSP); axe is the test's own script, injected past it.
    bypassCSP: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAccessibilityViolations(
  page: Page,
): Promise<Array<{ id: string; help: string; targets: unknown[] }>> {
  await page.addScriptTag({ path: AXE_PATH });
  // A string: it runs in the page, where `axe` and `document` exist (this project compiles without the DOM types).
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target),
    }));
}

/** How far the page is wider than its viewport (0: no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
