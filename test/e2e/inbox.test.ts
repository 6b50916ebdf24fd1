/**
 * The inbox in a real browser (Debian's Chromium through playwright-core) against the in-process local stack and its
 * real OpenID Connect provider: sign-in, what alice may decide (and not bob's), approve with confirmation, batch
 * decisions, a refused decision, keyboard only, a phone's width, and axe-core on every page. With
 * GREENLIGHT_SCREENSHOTS=1 (`npm run screenshots`) it also writes the screenshots in docs/images/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { SESSION_COOKIE } from '../../shared/channels/ssoSession';
import { horizontalOverflow, openBrowser, seriousAccessibilityViolations, type TestBrowser } from '../support/browser';
import { requestApproval } from '../support/inboxFixtures';

process.env.LOG_LEVEL = 'SILENT'; // the functions' INFO lines; the assertions read pages and recorded state
const SCREENSHOTS = process.env.GREENLIGHT_SCREENSHOTS === '1';
const LONG_ARN =
  'arn:aws:iam::111122223333:role/service-role/GreenlightDeploymentsCrossAccountReleaseOrchestratorRole-0123456789abcdef';

let stack: LocalStack;
let alice: TestBrowser;
const ids = {} as Record<'checkout' | 'payments' | 'search' | 'mine' | 'bobs' | 'quorum' | 'keyboard', string>;

beforeAll(async () => {
  stack = await startLocalStack();
  // Rules (infra/policy.json): `prod-*` executions: alice, bob, carol; other state machines: alice and carol.
  ids.checkout = await requestApproval(stack, {
    stateMachine: 'checkout-deploy',
    title: 'Deploy checkout-service 2.4.1',
    requestedBy: 'email:bob@example.com',
    fields: { environment: 'production', 'deploy role': LONG_ARN },
  });
  ids.payments = await requestApproval(stack, { stateMachine: 'payments-deploy', title: 'Deploy payments 1.8.0' });
  ids.search = await requestApproval(stack, { stateMachine: 'search-deploy', title: 'Deploy search 3.1.0' });
  ids.mine = await requestApproval(stack, {
    stateMachine: 'billing-deploy',
    title: 'Deploy billing 5.0.0 (asked by alice)',
    requestedBy: 'email:alice@example.com',
  });
  ids.bobs = await requestApproval(stack, {
    stateMachine: 'prod-ledger',
    title: "Rotate the ledger keys (bob's)",
    approvers: ['email:bob@example.com'],
  });
  ids.quorum = await requestApproval(stack, {
    stateMachine: 'prod-api',
    title: 'Deploy api 9.9.9 (two approvals)',
    requiredApprovals: 2,
  });
  ids.keyboard = await requestApproval(stack, { stateMachine: 'docs-deploy', title: 'Publish the docs site' });
  alice = await openBrowser();
}, 60_000);

afterAll(async () => {
  await alice?.close();
  await stack?.close();
});

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page), page.url()).toEqual([]);
}

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto(`${stack.httpUrl}/inbox`);
  // The provider's own (development) login page.
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  await page.waitForURL(`${stack.httpUrl}/inbox`);
}

async function screenshot(page: Page, name: string, width: number): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync('docs/images', { recursive: true });
  await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
  await page.screenshot({ path: `docs/images/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the inbox in Chromium', () => {
  it('signs alice in through the OpenID Connect provider, with a HttpOnly, Secure, SameSite=Lax session cookie', async () => {
    // Act
    await signIn(alice.page, 'alice');
    // Assess
    const cookie = (await alice.context.cookies(stack.httpUrl)).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    await expect(alice.page.title()).resolves.toMatch(/^Inbox \(\d+\)/);
    await expectAccessible(alice.page);
  });

  it("lists what alice may decide, deadline first, with a count and source filter, and not bob's", async () => {
    // Act
    await alice.page.goto(`${stack.httpUrl}/inbox`);
    const text = await alice.page.textContent('main');
    // Assess
    expect(text).toContain('Deploy checkout-service 2.4.1');
    expect(text).toContain('Deploy api 9.9.9 (two approvals)');
    expect(text).toContain('reject only');
    expect(text).not.toContain("Rotate the ledger keys (bob's)");
    expect(text).toContain('AWS Step Functions (');
    // bob's approval is not hers even by URL
    const refused = await alice.page.goto(`${stack.httpUrl}/inbox/approvals/${ids.bobs}`);
    expect(refused?.status()).toBe(403);
    await expectAccessible(alice.page);
    await alice.page.goto(`${stack.httpUrl}/inbox`);
    await screenshot(alice.page, 'inbox-desktop', 1280);
    await screenshot(alice.page, 'inbox-phone', 390);
  });

  it('approves after the confirmation step, and the page then says so in its title and answers the workflow', async () => {
    // Prepare
    const page = alice.page;
    await page.goto(`${stack.httpUrl}/inbox/approvals/${ids.checkout}`);
    await expectAccessible(page);
    await screenshot(page, 'approval-desktop', 1280);
    await screenshot(page, 'approval-phone', 390);
    const confirm = page.getByRole('button', { name: /^Approve — resumes execution / });
    expect(await confirm.isVisible()).toBe(false);
    // Act
    await page.getByText('Approve…').click();
    await confirm.click();
    await page.waitForURL(/done=1$/);
    // Assess
    await expect(page.title()).resolves.toMatch(/^Approved: Deploy checkout-service/);
    expect(await page.textContent('main')).toContain('SendTaskSuccess');
    expect((await stack.store.get(ids.checkout))?.votes[0]).toMatchObject({
      approver: 'email:alice@example.com',
      channel: 'sso',
    });
    await expectAccessible(page);
    // Reopening the URL shows the approval, not an error.
    const reopened = await page.reload();
    expect(reopened?.status()).toBe(200);
  });

  it('decides a batch with one result per approval, and says why one was refused', async () => {
    // Prepare
    const page = alice.page;
    await page.goto(`${stack.httpUrl}/inbox`);
    // Act
    await page.check(`input[value="${ids.payments}"]`);
    await page.check(`input[value="${ids.mine}"]`);
    await page.getByText('Approve selected…').click();
    await page.getByRole('button', { name: /^Approve selected — / }).click();
    // Assess
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('Approved 1 of 2 approvals');
    expect(text).toMatch(/Deploy payments 1\.8\.0: Approved\. The workflow continues\./);
    expect(text).toMatch(/refused: .*may not approve/);
    expect((await stack.store.get(ids.payments))?.status).toBe('approved');
    expect((await stack.store.get(ids.mine))?.status).toBe('pending');
    await expectAccessible(page);
    await page.goto(`${stack.httpUrl}/inbox/history`);
    expect(await page.textContent('main')).toContain('Deploy payments 1.8.0');
    await expectAccessible(page);
  });

  it('shows why a decision was refused: the approval was decided meanwhile', async () => {
    // Prepare: alice has the page open; carol rejects first (through her review link)
    const page = alice.page;
    await page.goto(`${stack.httpUrl}/inbox/approvals/${ids.search}`);
    const carol = await openBrowser();
    try {
      await carol.page.goto(stack.reviewLink(ids.search, 'email:carol@example.com'));
      await carol.page.getByRole('button', { name: /^Reject — stops execution/ }).click();
      await expectAccessible(carol.page);
    } finally {
      await carol.close();
    }
    // Act
    await page.getByText('Approve…').click();
    await page.getByRole('button', { name: /^Approve — resumes execution / }).click();
    // Assess
    expect(await page.textContent('h1')).toBe('This approval is already decided');
    expect(await page.textContent('main')).toMatch(/rejected/);
    await expectAccessible(page);
  });

  it('can be used with the keyboard alone', async () => {
    // Prepare
    const page = alice.page;
    await page.goto(`${stack.httpUrl}/inbox`);
    const tabTo = async (matches: string) => {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(matches)}) ?? false`))
          return;
      }
      throw new Error(`Tab never reached ${matches}`);
    };
    // Act: to the approval's link, open it, open the confirmation, confirm
    await tabTo(`a[href="/inbox/approvals/${ids.keyboard}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/inbox/approvals/${ids.keyboard}`);
    await tabTo('summary');
    await page.keyboard.press('Enter');
    await tabTo('button[value="approve"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=1$/);
    // Assess
    expect((await stack.store.get(ids.keyboard))?.status).toBe('approved');
  });

  it('fits a 390 px phone: no sideways scrolling on the inbox or an approval with a long IAM ARN', async () => {
    // Prepare
    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      await phone.context.addCookies(await alice.context.cookies(stack.httpUrl));
      for (const path of [
        '/inbox',
        `/inbox/approvals/${ids.checkout}`,
        `/inbox/approvals/${ids.quorum}`,
        '/inbox/history',
      ]) {
        // Act
        await phone.page.goto(`${stack.httpUrl}${path}`);
        // Assess
        expect(await horizontalOverflow(phone.page), path).toBe(0);
        await expectAccessible(phone.page);
      }
    } finally {
      await phone.close();
    }
  });

  it('signs out: the session cookie is gone and the inbox sends the person to sign in again', async () => {
    // Act
    await alice.page.goto(`${stack.httpUrl}/inbox`);
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    // Assess
    expect(await alice.page.textContent('h1')).toBe('You are signed out');
    await expectAccessible(alice.page);
    expect((await alice.context.cookies(stack.httpUrl)).some((c) => c.name === SESSION_COOKIE)).toBe(false);
    // (Greenlight's session ends; the issuer's own session is the issuer's: it may sign her in again without asking.)
    const next = await alice.context.request.get(`${stack.httpUrl}/inbox`, { maxRedirects: 0 });
    expect(next.status()).toBe(303);
    expect(next.headers().location).toBe('/inbox/login?return=%2Finbox');
  });
});
