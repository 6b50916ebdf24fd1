/**
 * The local outbox shows Greenlight's Slack messages as Slack would: plain text and rich text as written (never
 * read as mrkdwn), links only where Greenlight made them; and its buttons send interactions as Slack does, signed and
 * from the local workspace and app.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type OutboxSources, renderOutboxPage, sendOutboxInteraction } from '../../../infra/local/localOutbox';
import type { SlackStandin } from '../../../infra/local/slackStandin';
import type { AwsStandins } from '../../../infra/local/standins';
import { approvalMessage } from '../../../shared/channels/slackMessages';
import { verifySlackOrigin, verifySlackSignature } from '../../../shared/channels/slackSignature';
import { APPROVAL_ID, NOW, publicApprovalFixtures } from '../../support/publicApprovals';

const MARKUP = '*Approved* by <@U024BE7LH> <!channel> &amp; <https://evil.example|here>';

const { publicApproval } = publicApprovalFixtures({
  approvers: ['slack:U0ALICE', 'email:carol@example.com'],
  description: `Please check. ${MARKUP}`,
  context: {
    links: [
      { label: `Ticket ${MARKUP}`, url: 'https://tickets.example.com/CHG-1' },
      { label: 'Script', url: 'javascript:alert(1)' },
    ],
    fields: { environment: MARKUP },
  },
});

function sourcesShowing(blocks: unknown[]): OutboxSources {
  const slack = {
    messages: () => [{ channel: '#approvals', ts: '1.000001', blocks, updates: 0, postedAt: NOW.toISOString() }],
    ephemeralMessages: () => [],
  } as unknown as SlackStandin;
  const standins = { ses: { sentEmails: () => [] } } as unknown as AwsStandins;
  return { slack, standins, slackSigningSecret: 'local-secret', slackTeamId: 'T0LOCAL', slackAppId: 'A0LOCAL' };
}

describe('renderOutboxPage', () => {
  it('renders mrkdwn and Block Kit as Slack does: bold, links, mentions, emoji shortcodes, fields, context, styled buttons', () => {
    // Prepare
    const blocks = [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':white_check_mark: *Approved* by <@U024BE7LH> — <https://example.com/x|the run> `v2`',
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Source*\nStep Functions' },
          { type: 'plain_text', text: '*not bold*' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '_expires_ :alarm_clock:' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'greenlight.approve',
            value: APPROVAL_ID,
            style: 'primary',
            text: { type: 'plain_text', text: 'Approve' },
          },
        ],
      },
    ];
    // Act
    const page = renderOutboxPage(sourcesShowing(blocks));
    // Assess
    expect(page).toContain('✅ <strong>Approved</strong> by <span class="mention">@U024BE7LH</span>');
    expect(page).toContain('<a href="https://example.com/x">the run</a> <code>v2</code>');
    expect(page).toContain(
      '<div class="fields"><div><strong>Source</strong><br>Step Functions</div><div>*not bold*</div></div>',
    );
    expect(page).toContain('<p class="context"><em>expires</em> ⏰</p>');
    expect(page).toContain('<button class="slack-button primary">Approve</button>');
  });

  it('shows an HTML e-mail in a sandboxed iframe (srcdoc), never inline in the page', () => {
    // Prepare
    const html = '<p>Review <a href="https://greenlight.example/review/x">here</a></p><script>alert(1)</script>';
    const sources = sourcesShowing([]);
    (sources.standins as unknown as { ses: unknown }).ses = {
      sentEmails: () => [
        { to: ['alice@example.com'], from: 'a@b.c', at: NOW.toISOString(), subject: 'Approve?', text: 'plain', html },
      ],
    };
    // Act
    const page = renderOutboxPage(sources);
    // Assess
    expect(page).toMatch(/<iframe class="mail" sandbox="" [^>]*srcdoc="&lt;p&gt;Review/);
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('shows text from requests as written, and links only where Greenlight made them', () => {
    // Prepare
    const { blocks } = approvalMessage(publicApproval(), { now: NOW, consoleLinks: [] });
    // Act
    const page = renderOutboxPage(sourcesShowing(blocks));
    // Assess: the description and the field as typed (HTML-escaped, entities not undone, nothing made a link)
    const shown = '*Approved* by &lt;@U024BE7LH&gt; &lt;!channel&gt; &amp;amp; &lt;https://evil.example|here&gt;';
    expect(page).toContain(`Please check. ${shown}`);
    expect(page).toContain(`environment<br>${shown}`);
    expect(page).not.toContain('href="https://evil.example');
    // … the link Greenlight made from the request's link, labelled as the request said; none for javascript:
    expect(page).toContain(`<a href="https://tickets.example.com/CHG-1">Ticket ${shown}</a>`);
    expect(page).toContain('Script<em> (not shown as a link: only http and https links are allowed)</em>');
    expect(page).not.toContain('javascript:');
    // … the mention Greenlight made, bold labels, emoji, and the buttons as forms
    expect(page).toContain('<span class="mention">@U0ALICE</span>');
    expect(page).toContain('<strong>Votes so far</strong>');
    expect(page).toContain('✅ approved via Slack');
    expect(page).toContain(`name="approvalId" value="${APPROVAL_ID}"`);
  });
});

describe('sendOutboxInteraction', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('posts the click as Slack would: signed, from the configured workspace and app', async () => {
    // Prepare: a stand-in for /slack/interactions that keeps what it received
    const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const form = new URLSearchParams({
      kind: 'block_actions',
      actionId: 'greenlight.approve',
      approvalId: APPROVAL_ID,
      channel: '#approvals',
      ts: '1.000001',
      user: 'U024BE7LH',
    });
    // Act
    const line = await sendOutboxInteraction(sourcesShowing([]), url, form);
    // Assess
    expect(line).toBe('Slack interaction as U024BE7LH: HTTP 200');
    const [request] = received;
    const timestamp = String(request?.headers['x-slack-request-timestamp']);
    verifySlackSignature('local-secret', {
      timestamp,
      signature: String(request?.headers['x-slack-signature']),
      rawBody: request?.body ?? '',
      now: new Date(Number(timestamp) * 1000),
    });
    const payload = JSON.parse(new URLSearchParams(request?.body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      team: { id: 'T0LOCAL' },
      api_app_id: 'A0LOCAL',
      user: { id: 'U024BE7LH' },
      actions: [{ action_id: 'greenlight.approve', value: APPROVAL_ID }],
    });
    expect(() => verifySlackOrigin({ teamId: 'T0LOCAL', appId: 'A0LOCAL' }, payload)).not.toThrow();
  });
});
