/**
 * The local outbox from `npm start`, driven over HTTP as a newcomer clicks through it: the Slack message's button
 * (signed like Slack signs it) approves one approval, an e-mail's review link rejects another, and both workflows
 * receive their answer; the Slack messages show the outcome.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../../shared/domain/approval';
import { interrupt, type RunningGreenlight, startGreenlight } from '../support/runningGreenlight';

const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-outbox-'));
let greenlight: RunningGreenlight;

beforeAll(async () => {
  greenlight = await startGreenlight(dataDir);
}, 30_000);
afterAll(async () => {
  if (greenlight) await interrupt(greenlight);
  rmSync(dataDir, { recursive: true, force: true });
});

const outbox = async () => (await fetch(`${greenlight.httpUrl}/local/outbox`)).text();
const decode = (html: string) => html.replace(/&#38;/g, '&').replace(/&amp;/g, '&');

/** The hidden fields of the outbox's Approve form for this approval. */
function approveForm(page: string, approvalId: string): URLSearchParams | undefined {
  for (const form of page.matchAll(/<form method="post" action="\/local\/outbox\/slack">([\s\S]*?)<\/form>/g)) {
    const fields = new URLSearchParams();
    for (const input of (form[1] ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
      fields.set(input[1] as string, decode(input[2] as string));
    }
    if (fields.get('approvalId') === approvalId && fields.get('actionId') === 'greenlight.approve') return fields;
  }
  return undefined;
}

async function answersReceived(operation: string) {
  const calls = (await (await fetch(`${greenlight.standinsUrl}/__standins/calls`)).json()) as Array<{
    operation: string;
    input: Record<string, unknown>;
  }>;
  return calls.filter((call) => call.operation === operation);
}

describe('the local outbox', () => {
  it('lists the Slack message and the e-mails of every seeded approval', async () => {
    const page = await outbox();
    expect(page).toContain(`<h2>Slack (${SOURCE_KINDS.length})</h2>`);
    expect(page).toMatch(/<h2>E-mails \([1-9]\d*\)<\/h2>/);
    for (const { id } of greenlight.approvals) expect(approveForm(page, id)).toBeDefined();
  });

  it('approves from the Slack button: the workflow is resumed and the message shows the outcome', async () => {
    // Prepare
    const imageApproval = greenlight.approvals.find((approval) => approval.source === 'imagebuilder')?.id ?? '';
    const form = approveForm(await outbox(), imageApproval) as URLSearchParams;
    form.set('user', 'U024BE7LH'); // alice, an approver of golden images
    // Act
    const clicked = await fetch(`${greenlight.httpUrl}/local/outbox/slack`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const after = await outbox();
    // Assess
    expect(clicked.status).toBe(303);
    expect(decodeURIComponent(clicked.headers.get('location') ?? '')).toContain('HTTP 200');
    expect((await answersReceived('SendWorkflowStepAction')).map((call) => call.input.action)).toEqual(['RESUME']);
    expect(approveForm(after, imageApproval)).toBeUndefined(); // buttons gone
    expect(after).toContain('updated 1 time(s)');
  });

  it('rejects through the review link an e-mail carried', async () => {
    // Prepare
    const ssmApproval = greenlight.approvals.find((approval) => approval.source === 'ssm')?.id ?? '';
    const link = [...(await outbox()).matchAll(/<a href="([^"]+\/review\/[^"]+)">/g)]
      .map((match) => decode(match[1] as string))
      .find((href) => href.includes(ssmApproval)) as string;
    // Act
    const page = await fetch(link);
    const url = new URL(link);
    const decided = await fetch(`${greenlight.httpUrl}${url.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: greenlight.httpUrl },
      body: new URLSearchParams({ t: url.searchParams.get('t') ?? '', decision: 'reject', comment: 'not today' }),
    });
    // Assess
    expect(page.status).toBe(200);
    expect(decided.status).toBe(200);
    expect((await answersReceived('SendAutomationSignal')).map((call) => call.input.SignalType)).toEqual(['Reject']);
  });
});
