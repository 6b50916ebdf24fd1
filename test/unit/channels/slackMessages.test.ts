import type { ActionsBlock, Button, KnownBlock, RichTextBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { PageLink } from '../../../shared/channels/reviewPages';
import {
  approvalMessage,
  COMMENT_MODAL_CALLBACK_ID,
  commentModal,
  escapeSlackText,
  refusalMessage,
  reminderMessage,
  richTextLength,
  SLACK_ACTION_IDS,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../shared/channels/slackMessages';
import { type Approval, type PublicApproval, toPublicApproval } from '../../../shared/domain/approval';
import { consoleLinksFor } from '../../../shared/sources/sourcePresentations';
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

type Node = { type?: unknown; [key: string]: unknown };

/** Every object in the tree, with the `type`s of the objects around it (outermost first). */
function nodes(value: unknown, around: string[] = []): Array<{ node: Node; around: string[] }> {
  if (Array.isArray(value)) return value.flatMap((item) => nodes(item, around));
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Node;
  const inside = [...around, String(node.type)];
  return [{ node, around }, ...Object.values(node).flatMap((child) => nodes(child, inside))];
}

/** The `text` of every text object of this type (`mrkdwn` is what Slack parses) anywhere in the tree. */
function textObjects(tree: unknown, type: 'mrkdwn' | 'plain_text'): string[] {
  return nodes(tree)
    .filter(({ node }) => node.type === type && typeof node.text === 'string')
    .map(({ node }) => node.text as string);
}

/** A rich-text element as a reader sees it: links by their label, mentions as @id, emoji as :name:. */
function richToString(element: Node): string {
  const children = (element.elements ?? []) as Node[];
  switch (element.type) {
    case 'rich_text':
      return children.map(richToString).join('\n');
    case 'rich_text_section':
      return children.map(richToString).join('');
    case 'rich_text_list':
      return children.map((item) => `• ${richToString(item)}`).join('\n');
    case 'rich_text_quote':
      return `> ${children.map(richToString).join('')}`;
    case 'text':
      return element.text as string;
    case 'link':
      return (element.text ?? element.url) as string;
    case 'user':
      return `@${element.user_id as string}`;
    case 'emoji':
      return `:${element.name as string}:`;
    default:
      throw new Error(`unexpected rich-text element ${String(element.type)}`);
  }
}

function richTexts(result: SlackMessage): string[] {
  return blocksOfType(result.blocks, 'rich_text').map((block) => richToString(block as unknown as Node));
}

/** Everything a reader sees: the notification text, mrkdwn and plain text objects, rich text. */
function allText(result: SlackMessage): string {
  return [
    result.text,
    ...textObjects(result.blocks, 'mrkdwn'),
    ...textObjects(result.blocks, 'plain_text'),
    ...richTexts(result),
  ].join('\n');
}

/** The rich-text `link` elements of the message. */
function links(result: SlackMessage) {
  return nodes(result.blocks)
    .filter(({ node }) => node.type === 'link')
    .map(({ node }) => node);
}

function buttons(result: SlackMessage): Button[] {
  return blocksOfType(result.blocks, 'actions').flatMap((block: ActionsBlock) =>
    block.elements.filter((element): element is Button => element.type === 'button'),
  );
}

/** Throws with the rule broken when the message does not respect the Block Kit limits. */
function assertWithinLimits(result: SlackMessage): void {
  expect(result.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const text of [...textObjects(result.blocks, 'mrkdwn'), ...textObjects(result.blocks, 'plain_text')]) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
  for (const block of result.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      expect(block.text !== undefined || (block.fields?.length ?? 0) > 0).toBe(true);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    if (block.type === 'rich_text') {
      expect(block.elements.length).toBeGreaterThan(0);
      expect(block.elements.map(richTextLength).reduce((sum, length) => sum + length, 0)).toBeLessThanOrEqual(
        SLACK_LIMITS.richText,
      );
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
    const [header, facts, description] = result.blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Deploy payments v2.3 to production' },
    });
    expect(richToString(facts as unknown as Node)).toBe(
      [
        'Source: AWS Step Functions',
        `Workflow: ${EXECUTION_ARN}`,
        'Requested by: email:bob@example.com',
        'Approvers: @U0ALICE, email:carol@example.com, email:dave@example.com · 2 of 3 approvers must approve',
        'Requested at: 2026-11-22 08:00 UTC',
        'Time left: 2 days 3 hours left (until 2026-11-24 13:00 UTC)',
      ].join('\n'),
    );
    const boldTexts = nodes(facts)
      .filter(({ node }) => node.type === 'text' && (node.style as { bold?: boolean } | undefined)?.bold)
      .map(({ node }) => node.text);
    expect(boldTexts).toEqual(['Source', 'Workflow', 'Requested by', 'Approvers', 'Requested at', 'Time left']);
    expect(description).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: 'Rolls out the new fraud rules.' },
    });
    expect(textObjects(result.blocks, 'plain_text')).toEqual(
      expect.arrayContaining(['environment\nproduction', 'version\n2.3.0']),
    );
    const text = allText(result);
    expect(text).toContain('Links\n• Change ticket');
    expect(text).toContain('AWS console\n• Step Functions execution');
    expect(links(result)).toEqual([
      { type: 'link', url: 'https://tickets.example.com/CHG-1234', text: 'Change ticket' },
      { type: 'link', url: CONSOLE_LINKS[0]?.url, text: 'Step Functions execution' },
    ]);
    expect(text).toContain('Votes so far · 1 of 2 required approvals');
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
    expect(text).toContain('Votes so far · 0 of 1 required approval\nNo votes yet.');
    expect(text).toContain('Approvers: 1 approval needed from any authorised approver');
    assertWithinLimits(result);
  });

  it('offers no buttons once the deadline has passed, even before the schedule expires it', () => {
    // Act
    const result = message(publicApproval({ expiresAt: '2026-11-22T09:59:00.000Z' }));
    // Assess
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
    expect(allText(result)).toContain('The deadline has passed: decisions are no longer accepted.');
    expect(allText(result)).not.toContain('Time left');
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
      ':white_check_mark: Approved by email:carol@example.com, @U0ALICE via review link, Slack at 2026-11-22 09:45 UTC',
    );
    expect(text).toContain(':hourglass_flowing_sand: Answering the workflow…');
    expect(text).toContain('> @U0ALICE: “Ship it”');
    expect(result.text).toBe('Approved: Deploy payments v2.3 to production — answering the workflow…');
  });

  it.each([
    ['approved', { outcome: 'approved' }, ':white_check_mark: Approved by email:carol@example.com, @U0ALICE'],
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
      ':x: Rejected by email:dave@example.com via REST API at 2026-11-22 09:45 UTC\n> email:dave@example.com: “Not during the freeze”',
    ],
    ['expired', { outcome: 'expired', votes: [] }, ':alarm_clock: Expired without a decision at 2026-11-22 09:45 UTC'],
    [
      'cancelled',
      { outcome: undefined, closedReason: 'the workflow ended (ABORTED)' },
      ':no_entry_sign: Cancelled at 2026-11-22 09:45 UTC: the workflow ended (ABORTED)',
    ],
    [
      'failed',
      { closedReason: 'TaskTimedOut: the task token is no longer valid' },
      ':warning: Failed: the workflow did not accept the answer\nDecision: Approved by email:carol@example.com, @U0ALICE via review link, Slack at 2026-11-22 09:45 UTC\nReason: TaskTimedOut: the task token is no longer valid',
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
    expect(allText(result)).not.toContain('Time left');
    expect(result.text).toBe(`${status[0]?.toUpperCase()}${status.slice(1)}: Deploy payments v2.3 to production`);
    assertWithinLimits(result);
  });
});

/** Text that would be a mention, a broadcast, a link or formatting if Slack parsed it as mrkdwn. */
const MARKUP = '*Approved* by <@U024BE7LH> <!channel>';

/** An approval whose every request- or person-chosen text carries markup, in every state the message shows. */
function withMarkupEverywhere(status: Approval['status']): PublicApproval {
  const outcome = status === 'pending' || status === 'cancelled' ? undefined : 'approved';
  return decided(status, {
    outcome,
    title: `Deploy ${MARKUP}`,
    description: `Please check. ${MARKUP} _now_ <https://evil.example|here>`,
    workflowRef: `arn:aws:states:eu-west-1:111122223333:execution:deploy:${MARKUP}`,
    requestedBy: `email:${MARKUP}@example.com`,
    approvers: ['slack:U0ALICE', `email:${MARKUP}@example.com`],
    context: {
      links: [
        { label: `Ticket ${MARKUP}`, url: 'https://tickets.example.com/CHG-1' },
        { label: `Other ${MARKUP}`, url: `https://tickets.example.com/?q=${MARKUP}` },
      ],
      fields: { [`key ${MARKUP}`]: `value ${MARKUP}` },
    },
    votes: [
      {
        approver: `email:${MARKUP}@example.com`,
        decision: 'approve',
        channel: 'rest',
        comment: MARKUP,
        at: NOW.toISOString(),
      },
      {
        approver: 'slack:U0ALICE',
        decision: 'approve',
        channel: 'slack',
        comment: `Ship ${MARKUP}`,
        at: NOW.toISOString(),
      },
    ],
    closedReason: `ended: ${MARKUP}`,
  });
}

/** Where Slack shows text as it is: a plain_text object, or a text / link element inside a rich_text block. */
function isLiteral(node: Node, around: string[]): boolean {
  if (node.type === 'plain_text') return true;
  return (node.type === 'text' || node.type === 'link') && around.includes('rich_text');
}

describe('text from a request or a person is never markup', () => {
  it.each(['pending', 'resuming', 'approved', 'failed', 'cancelled'] as const)(
    '%s: a description with "*Approved* by <@U024BE7LH>" and "<!channel>" lands in plain_text / rich-text text only',
    (status) => {
      // Act
      const result = message(withMarkupEverywhere(status));
      // Assess: every string holding the user's text is the text of a literal node …
      const holders = nodes(result.blocks).flatMap(({ node, around }) =>
        Object.entries(node)
          .filter(([, value]) => typeof value === 'string' && /U024BE7LH|!channel|Approved\*/.test(value))
          .map(([key]) => ({ type: node.type, key, literal: isLiteral(node, around) })),
      );
      expect(holders.filter(({ type }) => type === 'plain_text' || type === 'text').length).toBeGreaterThan(3);
      for (const holder of holders) {
        expect(holder).toEqual(
          holder.type === 'link'
            ? { type: 'link', key: expect.stringMatching(/^(text|url)$/), literal: true }
            : { type: holder.type, key: 'text', literal: true },
        );
      }
      // … no mrkdwn text object holds it in any form (raw or escaped) …
      for (const text of textObjects(result.blocks, 'mrkdwn')) {
        expect(text).not.toMatch(/U024BE7LH|channel|evil\.example|Approved\*|&lt;|&gt;|&amp;/);
      }
      // … the only mention is the one Greenlight made from a slack: identity, and nothing broadcasts.
      const mentions = nodes(result.blocks).filter(({ node }) => node.type === 'user');
      expect(new Set(mentions.map(({ node }) => node.user_id))).toEqual(new Set(['U0ALICE']));
      expect(nodes(result.blocks).filter(({ node }) => ['broadcast', 'usergroup'].includes(String(node.type)))).toEqual(
        [],
      );
      // … and the description reads exactly as it was written.
      expect(textObjects(result.blocks, 'plain_text')).toContain(
        `Please check. ${MARKUP} _now_ <https://evil.example|here>`,
      );
      assertWithinLimits(result);
    },
  );

  it('escapes &, < and > in the notification text, which Slack parses as mrkdwn', () => {
    // Act
    const result = message(withMarkupEverywhere('pending'));
    // Assess
    expect(result.text).toBe('Approval needed: Deploy *Approved* by &lt;@U024BE7LH&gt; &lt;!channel&gt;');
    expect(result.text).not.toMatch(/[<>]/);
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

  it('keeps every attacker-chosen text out of mrkdwn, shown as written', () => {
    // Act
    const result = message(attacker);
    // Assess
    for (const text of textObjects(result.blocks, 'mrkdwn')) {
      expect(text).not.toMatch(/evil\.example|U0BOSS|!channel|!here|!everyone|&lt;|&gt;/);
    }
    const text = allText(result);
    expect(text).toContain('Run <https://evil.example|this> & tell <!here>');
    expect(text).toContain('Requested by: email:<!everyone>@example.com');
    expect(text).toContain('<!channel>\na & b <c>');
    expect(text).toContain('“<!channel> nope”');
    expect(
      nodes(result.blocks)
        .filter(({ node }) => node.type === 'user')
        .map(({ node }) => node.user_id),
    ).toEqual(['U0ALICE']);
  });

  it('escapes the notification text: Slack parses it as mrkdwn', () => {
    // Act / Assess
    expect(message(attacker).text).toBe(
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

  it('makes links rich-text link elements, label and URL apart, http(s) only', () => {
    // Act
    const result = message(attacker);
    // Assess
    expect(links(result).slice(0, 3)).toEqual([
      {
        type: 'link',
        url: 'https://tickets.example.com/search?q=a&b=%3Cc%3E',
        text: 'Ticket <https://evil.example|x> & more',
      },
      { type: 'link', url: 'https://tickets.example.com/a|https://evil.example', text: 'Pipe' },
      { type: 'link', url: 'https://example.com/no-label', text: 'https://example.com/no-label' },
    ]);
    const text = allText(result);
    expect(text).toContain('• Script (not shown as a link: only http and https links are allowed)');
    expect(JSON.stringify(result)).not.toContain('javascript:');
  });

  it('does not make a link of a URL longer than 2000 characters', () => {
    // Act
    const long = `https://example.com/${'p'.repeat(2000)}`;
    const result = message(publicApproval({ context: { links: [{ label: 'Long', url: long }], fields: {} } }));
    // Assess
    expect(links(result).map((link) => link.url)).not.toContain(long);
    expect(allText(result)).toContain('• Long (not shown as a link: too long)');
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

  it('never cuts an escaped entity in half in the notification text', () => {
    // Act
    const result = message({ ...huge, title: '&'.repeat(300) });
    // Assess
    expect(result.text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    expect(result.text.length).toBeLessThanOrEqual(200);
  });

  it('stays within the limits once closed, too', () => {
    // Act
    const result = message({ ...huge, status: 'failed', outcome: 'rejected', closedReason: 'x'.repeat(5000) });
    // Assess
    assertWithinLimits(result);
    expect(blocksOfType(result.blocks, 'actions')).toHaveLength(0);
  });

  it('counts a rich_text block the way the limit check does', () => {
    // Prepare
    const block: RichTextBlock = {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'abc' },
            { type: 'link', url: 'https://e.x', text: 'lbl' },
            { type: 'user', user_id: 'U1' },
            { type: 'emoji', name: 'x' },
          ],
        },
      ],
    };
    // Act / Assess
    expect(block.elements.map(richTextLength)).toEqual([3 + 11 + 3 + 5 + 3]);
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
    expect(intro).toEqual({
      type: 'section',
      text: {
        type: 'plain_text',
        text: `Deploy payments v2.3 to production\nAWS Step Functions · approval ${APPROVAL_ID}`,
      },
    });
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

  it('shows the title as plain text, as written (Slack does not parse it)', () => {
    // Act
    const modal = commentModal(publicApproval({ title: `Deploy ${MARKUP} & co` }));
    // Assess
    expect(textObjects(modal.blocks, 'plain_text')[0]).toBe(
      `Deploy ${MARKUP} & co\nAWS Step Functions · approval ${APPROVAL_ID}`,
    );
    expect(textObjects(modal, 'mrkdwn')).toEqual([]);
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

describe('reminderMessage', () => {
  it('puts the title where Slack parses no markup, and escapes it in the notification text', () => {
    // Prepare
    const title = '*Approved* by <@U024BE7LH> <!channel>';
    // Act
    const message = reminderMessage(title, '2 days left');
    // Assess
    expect(message.text).not.toContain('<@U024BE7LH>');
    expect(message.text).not.toContain('<!channel>');
    expect(message.text).toContain('&lt;!channel&gt;');
    const [block] = message.blocks as RichTextBlock[];
    expect(block?.type).toBe('rich_text');
    expect(JSON.stringify(block)).toContain(JSON.stringify(`"${title}"`).slice(1, -1));
    expect(JSON.stringify(block)).not.toContain('mrkdwn');
  });
});
