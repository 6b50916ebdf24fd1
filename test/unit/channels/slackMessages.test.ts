import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { consoleLinksFor, type PageLink } from '../../../shared/channels/reviewPages';
import {
  approvalMessage,
  COMMENT_MODAL_CALLBACK_ID,
  commentModal,
  escapeSlackText,
  refusalMessage,
  SLACK_ACTION_IDS,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../shared/channels/slackMessages';
import { type Approval, type PublicApproval, toPublicApproval } from '../../../shared/domain/approval';
import { APPROVAL_ID, EXECUTION_ARN, NOW, publicApprovalFixtures, TASK_TOKEN } from '../../support/publicApprovals';

const { storedApproval, publicApproval } = publicApprovalFixtures({
  approvers: ['slack:U0ALICE', 'email:carol@example.com', 'email:dave@example.com'],
  votes: [
    {
      approver: 'email:carol@example.com',
      decision: 'approve',
      channel: 'review-link',
      comment: 'Looks good to me',
      at: '2026-11-22T09:30:00.000Z',
      idempotencyKey: 'IDEMPOTENCY-KEY-SECRET',
      requestHash: 'REQUEST-HASH-SECRET',
    },
  ],
});

/** Decided by Slack user U0ALICE after carol; the `resuming` history entry is when it was decided. */
function decided(status: Approval['status'], overrides: Partial<Approval> = {}): PublicApproval {
  const base = storedApproval();
  return publicApproval({
    status,
    outcome: 'approved',
    votes: [
      ...base.votes,
      {
        approver: 'slack:U0ALICE',
        decision: 'approve',
        channel: 'slack',
        comment: 'Ship it',
        at: '2026-11-22T09:45:00.000Z',
      },
    ],
    history: [
      ...base.history,
      { at: '2026-11-22T09:45:00.000Z', status: 'resuming', reason: 'decided: approved' },
      ...(status === 'resuming' ? [] : [{ at: '2026-11-22T09:45:02.000Z', status }]),
    ],
    ...overrides,
  });
}

const CONSOLE_LINKS: PageLink[] = consoleLinksFor(publicApproval(), 'eu-west-1');

function message(approval: PublicApproval, consoleLinks: PageLink[] = CONSOLE_LINKS): SlackMessage {
  return approvalMessage(approval, { now: NOW, consoleLinks });
}

function blocksOfType<T extends KnownBlock['type']>(
  blocks: readonly KnownBlock[],
  type: T,
): Array<Extract<KnownBlock, { type: T }>> {
  return blocks.filter((block): block is Extract<KnownBlock, { type: T }> => block.type === type);
}

/** Every text Slack would parse as mrkdwn (section texts and fields, context elements) plus the fallback. */
function mrkdwnTexts(result: SlackMessage): string[] {
  const texts = [result.text];
  for (const block of result.blocks) {
    if (block.type === 'section') {
      if (block.text?.type === 'mrkdwn') texts.push(block.text.text);
      for (const field of block.fields ?? []) if (field.type === 'mrkdwn') texts.push(field.text);
    }
    if (block.type === 'context') {
      for (const element of block.elements) if (element.type === 'mrkdwn') texts.push(element.text);
    }
  }
  return texts;
}

function allText(result: SlackMessage): string {
  return mrkdwnTexts(result).join('\n');
}

function buttons(result: SlackMessage): Button[] {
  return blocksOfType(result.blocks, 'actions').flatMap((block: ActionsBlock) =>
    block.elements.filter((element): element is Button => element.type === 'button'),
  );
}

/** Throws with the rule broken when the message does not respect the Block Kit limits. */
function assertWithinLimits(result: SlackMessage): void {
  expect(result.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of result.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      expect(block.text !== undefined || (block.fields?.length ?? 0) > 0).toBe(true);
      if (block.text) {
        expect(block.text.text.length).toBeGreaterThan(0);
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') {
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const element of block.elements) {
        if (element.type === 'mrkdwn' || element.type === 'plain_text') {
          expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        }
      }
    }
  }
  for (const button of buttons(result)) {
    expect(button.value?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    expect(button.text.text.length).toBeLessThanOrEqual(75);
  }
}

describe('approvalMessage while pending', () => {
  it('shows the title, the facts, the description, the context, the links, the votes and the buttons', () => {
    // Act
    const result = message(publicApproval());
    // Assess
    const [header, facts] = result.blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Deploy payments v2.3 to production' },
    });
    const factTexts = ((facts as SectionBlock).fields ?? []).map((field) => field.text);
    expect(factTexts).toEqual([
      '*Source*\nAWS Step Functions',
      `*Workflow*\n${EXECUTION_ARN}`,
      '*Requested by*\nemail:bob@example.com',
      '*Approvers*\n<@U0ALICE>, email:carol@example.com, email:dave@example.com\n2 of 3 approvers must approve',
      '*Requested at*\n2026-11-22 08:00 UTC',
      '*Time left*\n2 days 3 hours left (until 2026-11-24 13:00 UTC)',
    ]);
    const text = allText(result);
    expect(text).toContain('Rolls out the new fraud rules.');
    expect(text).toContain('*environment*\nproduction');
    expect(text).toContain('*version*\n2.3.0');
    expect(text).toContain('*Links*\n• <https://tickets.example.com/CHG-1234|Change ticket>');
    expect(text).toContain(`*AWS console*\n• <${CONSOLE_LINKS[0]?.url}|Step Functions execution>`);
    expect(text).toContain('*Votes so far* · 1 of 2 required approvals');
    expect(text).toContain(
      '• email:carol@example.com :white_check_mark: approved via review link at 2026-11-22 09:30 UTC: “Looks good to me”',
    );
    expect(result.text).toBe('Approval needed: Deploy payments v2.3 to production');
    assertWithinLimits(result);
  });

  it('ends with Approve (primary), Reject (danger) and "Decide with a comment…" buttons', () => {
    // Act
    const result = message(publicApproval());
    // Assess
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(1);
    expect(
      buttons(result).map(({ action_id, style, text, value }) => ({ action_id, style, text: text.text, value })),
    ).toEqual([
      { action_id: 'greenlight.approve', style: 'primary', text: 'Approve', value: APPROVAL_ID },
      { action_id: 'greenlight.reject', style: 'danger', text: 'Reject', value: APPROVAL_ID },
      { action_id: 'greenlight.comment', style: undefined, text: 'Decide with a comment…', value: APPROVAL_ID },
    ]);
    expect(SLACK_ACTION_IDS).toEqual({
      approve: 'greenlight.approve',
      reject: 'greenlight.reject',
      comment: 'greenlight.comment',
    });
  });

  it('carries the approval id and nothing else in every button value', () => {
    // Act
    const json = JSON.stringify(message(publicApproval()));
    // Assess
    const values = [...json.matchAll(/"value":"([^"]*)"/g)].map((match) => match[1]);
    expect(values).toEqual([APPROVAL_ID, APPROVAL_ID, APPROVAL_ID]);
  });

  it('says "no votes yet" and "any authorised approver" when there are none', () => {
    // Act
    const result = message(publicApproval({ votes: [], approvers: [], requiredApprovals: 1 }));
    // Assess
    const text = allText(result);
    expect(text).toContain('*Votes so far* · 0 of 1 required approval\n_No votes yet._');
    expect(text).toContain('*Approvers*\n1 approval needed from any authorised approver');
  });

  it('offers no buttons once the deadline has passed, even before the schedule expires it', () => {
    // Act
    const result = message(publicApproval({ expiresAt: '2026-11-22T09:59:00.000Z' }));
    // Assess
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
    expect(allText(result)).toContain('The deadline has passed: decisions are no longer accepted.');
    expect(allText(result)).not.toContain('*Time left*');
    expect(result.text).toBe('Approval expired: Deploy payments v2.3 to production');
  });
});

describe('approvalMessage once decided', () => {
  it('shows the decision and "answering the workflow…" while resuming, without buttons', () => {
    // Act
    const result = message(decided('resuming'));
    // Assess
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
    const text = allText(result);
    expect(text).toContain(
      ':white_check_mark: *Approved* by email:carol@example.com, <@U0ALICE> via review link, Slack at 2026-11-22 09:45 UTC',
    );
    expect(text).toContain('Answering the workflow…');
    expect(text).toContain('> <@U0ALICE>: “Ship it”');
    expect(result.text).toBe('Approved: Deploy payments v2.3 to production — answering the workflow…');
  });

  it.each([
    ['approved', { outcome: 'approved' }, ':white_check_mark: *Approved* by email:carol@example.com, <@U0ALICE>'],
    [
      'rejected',
      {
        outcome: 'rejected',
        votes: [
          {
            approver: 'email:dave@example.com',
            decision: 'reject',
            channel: 'rest',
            comment: 'Not during the freeze',
            at: '2026-11-22T09:45:00.000Z',
          },
        ],
      },
      ':x: *Rejected* by email:dave@example.com via REST API at 2026-11-22 09:45 UTC\n> email:dave@example.com: “Not during the freeze”',
    ],
    [
      'expired',
      { outcome: 'expired', votes: [] },
      ':alarm_clock: *Expired* without a decision at 2026-11-22 09:45 UTC',
    ],
    [
      'cancelled',
      { outcome: undefined, closedReason: 'the workflow ended (ABORTED)' },
      ':no_entry_sign: *Cancelled* at 2026-11-22 09:45 UTC: the workflow ended (ABORTED)',
    ],
    [
      'failed',
      { closedReason: 'TaskTimedOut: the task token is no longer valid' },
      ':warning: *Failed*: the workflow did not accept the answer\nDecision: *Approved* by email:carol@example.com, <@U0ALICE> via review link, Slack at 2026-11-22 09:45 UTC\n*Reason:* TaskTimedOut: the task token is no longer valid',
    ],
  ] as const)('shows the outcome of a %s approval and no actions block', (status, overrides, expected) => {
    // Arrange
    const approval =
      status === 'cancelled'
        ? publicApproval({
            status: 'cancelled',
            closedReason: overrides.closedReason,
            history: [
              ...storedApproval().history,
              { at: '2026-11-22T09:45:00.000Z', status: 'cancelled', reason: 'workflow ended' },
            ],
          })
        : decided(status, overrides as Partial<Approval>);
    // Act
    const result = message(approval);
    // Assess
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
    expect(JSON.stringify(result)).not.toContain('greenlight.approve');
    expect(allText(result)).toContain(expected);
    expect(allText(result)).not.toContain('*Time left*');
    expect(result.text).toBe(`${status[0]?.toUpperCase()}${status.slice(1)}: Deploy payments v2.3 to production`);
    assertWithinLimits(result);
  });
});

describe('approvalMessage escaping', () => {
  const attacker = publicApproval({
    title: 'Deploy <!channel> & <https://evil.example/phish|click here> <@U0BOSS>',
    description: 'Run <https://evil.example|this> & tell <!here>',
    requestedBy: 'email:<!everyone>@example.com',
    context: {
      links: [
        { label: 'Ticket <https://evil.example|x> & more', url: 'https://tickets.example.com/search?q=a&b=<c>' },
        { label: 'Pipe', url: 'https://tickets.example.com/a|https://evil.example' },
        { label: 'Script', url: 'javascript:alert(1)' },
        { label: '', url: 'https://example.com/no-label' },
      ],
      fields: { '<!channel>': 'a & b <c>' },
    },
    votes: [
      {
        approver: 'email:carol@example.com',
        decision: 'reject',
        channel: 'slack',
        comment: '<!channel> nope',
        at: '2026-11-22T09:30:00.000Z',
      },
    ],
  });

  it("escapes Slack's control characters in every attacker-chosen text", () => {
    // Act
    const result = message(attacker);
    // Assess
    const text = allText(result);
    expect(text).not.toMatch(/<!(channel|here|everyone)/);
    expect(text).not.toContain('<https://evil.example');
    expect(text).not.toContain('<@U0BOSS>');
    expect(text).toContain(
      'Deploy &lt;!channel&gt; &amp; &lt;https://evil.example/phish|click here&gt; &lt;@U0BOSS&gt;',
    );
    expect(text).toContain('Run &lt;https://evil.example|this&gt; &amp; tell &lt;!here&gt;');
    expect(text).toContain('*&lt;!channel&gt;*\na &amp; b &lt;c&gt;');
    expect(text).toContain('“&lt;!channel&gt; nope”');
    expect(result.text).toBe(
      'Approval needed: Deploy &lt;!channel&gt; &amp; &lt;https://evil.example/phish|click here&gt; &lt;@U0BOSS&gt;',
    );
  });

  it('keeps the header plain text (Slack does not parse it)', () => {
    // Act
    const [header] = message(attacker).blocks;
    // Assess
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Deploy <!channel> & <https://evil.example/phish|click here> <@U0BOSS>' },
    });
  });

  it('builds links itself: escaped label, URL with & escaped and | < > percent-encoded, http(s) only', () => {
    // Act
    const text = allText(message(attacker));
    // Assess
    expect(text).toContain(
      '• <https://tickets.example.com/search?q=a&amp;b=%3Cc%3E|Ticket &lt;https://evil.example|x&gt; &amp; more>',
    );
    expect(text).toContain('• <https://tickets.example.com/a%7Chttps://evil.example|Pipe>');
    expect(text).toContain('• Script _(not shown as a link: only http and https links are allowed)_');
    expect(text).not.toContain('javascript:');
    expect(text).toContain('• <https://example.com/no-label|https://example.com/no-label>');
  });

  it('escapes &, < and > only', () => {
    // Act / Assess
    expect(escapeSlackText('a & b < c > d "e" \'f\' *g*')).toBe('a &amp; b &lt; c &gt; d "e" \'f\' *g*');
  });
});

describe('approvalMessage limits', () => {
  const huge = publicApproval({
    title: `${'T'.repeat(300)}`,
    description: `${'<&>'.repeat(3333)}x`,
    workflowRef: `arn:aws:states:eu-west-1:111122223333:execution:${'w'.repeat(5000)}`,
    approvers: Array.from({ length: 30 }, (_, index) => `email:${'a'.repeat(150)}${index}@example.com`),
    requestedBy: `email:${'r'.repeat(3000)}@example.com`,
    context: {
      links: Array.from({ length: 60 }, (_, index) => ({
        label: `${'<'.repeat(300)}${index}`,
        url: `https://example.com/${'p'.repeat(200)}/${index}`,
      })),
      fields: Object.fromEntries(
        Array.from({ length: 35 }, (_, index) => [`${'k'.repeat(300)}${index}`, '&'.repeat(3000)]),
      ),
    },
    votes: Array.from({ length: 40 }, (_, index) => ({
      approver: `email:voter${index}@example.com`,
      decision: index % 2 === 0 ? ('approve' as const) : ('reject' as const),
      channel: 'slack' as const,
      comment: `${'>'.repeat(999)}${index}`,
      at: '2026-11-22T09:30:00.000Z',
    })),
  });

  it('respects Block Kit limits with a 10 000-character description and 40 votes', () => {
    // Act
    const result = message(huge);
    // Assess
    assertWithinLimits(result);
    const text = allText(result);
    expect(text).toContain('…and ');
    expect(text).toContain('more vote');
    expect(text).toContain('more link');
    expect(text).toContain('15 more fields not shown');
    expect(buttons(result).map((button) => button.value)).toEqual([APPROVAL_ID, APPROVAL_ID, APPROVAL_ID]);
  });

  it('never cuts an escaped entity in half', () => {
    // Act
    const result = message(huge);
    // Assess
    for (const text of mrkdwnTexts(result)) {
      expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
  });

  it('stays within the limits once closed, too', () => {
    // Act
    const result = message({ ...huge, status: 'failed', outcome: 'rejected', closedReason: 'x'.repeat(5000) });
    // Assess
    assertWithinLimits(result);
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
  });
});

describe('no secret leaves through Slack', () => {
  it('picks fields: an extra sourceRef (or idempotency data) on the input never reaches the message or the modal', () => {
    // Arrange
    const withSecrets = {
      ...publicApproval(),
      sourceRef: { taskToken: 'SECRET' },
      resumeLeaseUntil: 'SECRET-LEASE',
      votes: [{ ...storedApproval().votes[0], idempotencyKey: 'SECRET-KEY', requestHash: 'SECRET-HASH' }],
    } as unknown as PublicApproval;
    // Act
    const outputs = [
      ...(['pending', 'resuming', 'approved', 'failed'] as const).map((status) =>
        message({ ...withSecrets, status, outcome: status === 'pending' ? undefined : 'approved' }),
      ),
      commentModal(withSecrets),
    ];
    // Assess
    for (const output of outputs) {
      const json = JSON.stringify(output);
      expect(json).not.toContain('SECRET');
      expect(json).not.toContain('sourceRef');
      expect(json).not.toContain('taskToken');
    }
  });

  it('does not show a real task token held in the stored approval', () => {
    // Act
    const json = JSON.stringify(message(toPublicApproval(storedApproval())));
    // Assess
    expect(json).not.toContain(TASK_TOKEN);
    expect(json).not.toContain('IDEMPOTENCY-KEY-SECRET');
    expect(json).not.toContain('REQUEST-HASH-SECRET');
  });
});

describe('commentModal', () => {
  it('asks for approve / reject and an optional comment, carrying only the approval id', () => {
    // Act
    const modal = commentModal(publicApproval());
    // Assess
    expect(modal.type).toBe('modal');
    expect(modal.callback_id).toBe(COMMENT_MODAL_CALLBACK_ID);
    expect(modal.callback_id).toBe('greenlight.comment');
    expect(modal.private_metadata).toBe(APPROVAL_ID);
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    expect(modal.submit?.text.length).toBeLessThanOrEqual(24);
    const [intro, decision, comment] = modal.blocks;
    expect(intro).toMatchObject({ type: 'section' });
    expect(decision).toEqual({
      type: 'input',
      block_id: 'decision',
      label: { type: 'plain_text', text: 'Decision' },
      element: {
        type: 'radio_buttons',
        action_id: 'decision',
        options: [
          { text: { type: 'plain_text', text: 'Approve' }, value: 'approve' },
          { text: { type: 'plain_text', text: 'Reject' }, value: 'reject' },
        ],
      },
    });
    expect(comment).toEqual({
      type: 'input',
      block_id: 'comment',
      optional: true,
      label: { type: 'plain_text', text: 'Comment' },
      element: { type: 'plain_text_input', action_id: 'comment', multiline: true, max_length: 1000 },
    });
  });

  it('escapes the title it shows', () => {
    // Act
    const modal = commentModal(publicApproval({ title: 'Deploy <!channel> & co' }));
    // Assess
    expect(JSON.stringify(modal.blocks[0])).toContain('Deploy &lt;!channel&gt; &amp; co');
    expect(JSON.stringify(modal)).not.toContain('<!channel>');
  });
});

describe('refusalMessage', () => {
  it('returns the reason as escaped text', () => {
    // Act / Assess
    expect(refusalMessage('You are not an approver of this request.')).toEqual({
      text: 'You are not an approver of this request.',
    });
    expect(refusalMessage('<!channel> & co')).toEqual({ text: '&lt;!channel&gt; &amp; co' });
    expect(refusalMessage('  ').text).toBe('Your decision was not recorded.');
    expect(refusalMessage('x'.repeat(10_000)).text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  });
});
