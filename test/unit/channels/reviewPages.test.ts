import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  escapeHtml,
  type HtmlResponse,
  type ReviewPageInput,
  renderDecisionResultPage,
  renderErrorPage,
  renderReviewPage,
  timeLeft,
} from '../../../shared/channels/reviewPages';
import type { PublicApproval } from '../../../shared/domain/approval';
import { consoleLinksFor } from '../../../shared/sources/sourcePresentations';
import { EXECUTION_ARN, NOW, publicApprovalFixtures, TASK_TOKEN } from '../../support/publicApprovals';

const XSS = '<script>alert(1)</script>"onmouseover=alert(2) \'x';

const { storedApproval, publicApproval: pendingApproval } = publicApprovalFixtures();

function closedApproval(): PublicApproval {
  return pendingApproval({
    status: 'approved',
    outcome: 'approved',
    votes: [
      { approver: 'email:carol@example.com', decision: 'approve', channel: 'slack', at: '2026-11-22T09:30:00.000Z' },
      {
        approver: 'email:alice@example.com',
        decision: 'approve',
        channel: 'review-link',
        at: '2026-11-22T09:45:00.000Z',
      },
    ],
    history: [
      { at: '2026-11-22T08:00:00.000Z', status: 'pending' },
      { at: '2026-11-22T09:45:00.000Z', status: 'resuming', by: 'email:alice@example.com', channel: 'review-link' },
      { at: '2026-11-22T09:45:01.000Z', status: 'approved' },
    ],
    closedReason: 'quorum reached',
  });
}

function reviewInput(overrides: Partial<ReviewPageInput> = {}): ReviewPageInput {
  const approval = overrides.approval ?? pendingApproval();
  return {
    approval,
    approver: 'email:alice@example.com',
    token: 'eyJ2IjoxfQ.c2lnbmF0dXJl',
    now: NOW,
    consoleLinks: consoleLinksFor(approval, 'us-east-1'),
    formAction: '/review/apr_0123456789abcdef0123456789abcdef',
    ...overrides,
  };
}

function expectProtectiveHeaders(response: HtmlResponse): void {
  expect(response.headers).toMatchObject({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-robots-tag': 'noindex',
    'x-frame-options': 'DENY',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  expect(CONTENT_SECURITY_POLICY).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    // Act
    const escaped = escapeHtml(`<a href="x" onclick='y'>&</a>`);
    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('timeLeft', () => {
  it.each([
    ['2026-11-24T13:00:00.000Z', '2 days 3 hours left'],
    ['2026-11-23T10:00:00.000Z', '1 day left'],
    ['2026-11-22T12:45:00.000Z', '2 hours 45 minutes left'],
    ['2026-11-22T10:01:00.000Z', '1 minute left'],
    ['2026-11-22T10:00:30.000Z', 'less than a minute left'],
    ['2026-11-22T10:00:00.000Z', 'expired'],
    ['2026-11-21T10:00:00.000Z', 'expired'],
  ])('until %s reads "%s"', (expiresAt, expected) => {
    // Act
    const text = timeLeft(expiresAt, NOW);
    // Assess
    expect(text).toBe(expected);
  });
});

describe('renderReviewPage', () => {
  it('shows what is waiting, who asked, the context, the quorum, the votes, the time left and the reviewer', () => {
    // Prepare
    const input = reviewInput();
    // Act
    const { statusCode, body } = renderReviewPage(input);
    // Assess
    expect(statusCode).toBe(200);
    expect(body).toContain('<h1>Deploy payments v2.3 to production</h1>');
    expect(body).toContain('Rolls out the new fraud rules.');
    expect(body).toContain('AWS Step Functions');
    expect(body).toContain(EXECUTION_ARN);
    expect(body).toContain('<dt>Requested by</dt><dd>email:bob@example.com</dd>');
    expect(body).toContain('<dt>environment</dt><dd>production</dd>');
    expect(body).toContain(
      '<a href="https://tickets.example.com/CHG-1234" rel="noopener noreferrer" target="_blank">Change ticket</a>',
    );
    expect(body).toContain(
      '<li><strong>email:alice@example.com</strong> <span class="muted">has not voted</span></li>',
    );
    expect(body).toContain('1 of 2 required approvals so far');
    expect(body).toContain('<li><strong>email:carol@example.com</strong> approved on 2026-11-22 09:30 UTC via');
    expect(body).toContain('Looks good to me');
    expect(body).toContain('2 days 3 hours left');
    expect(body).toContain('You are reviewing as <strong>email:alice@example.com</strong>');
  });

  it("puts the decision panel first, names each button's effect and asks to confirm an approval", () => {
    // Prepare: a quorum of one, so this approval resumes the execution
    const approval = pendingApproval({ requiredApprovals: 1, votes: [] });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval }));
    // Assess
    expect(body.indexOf('aria-label="Decision"')).toBeLessThan(body.indexOf('<dt>Source</dt>'));
    expect(body).toMatch(/<details class="confirm">\s*<summary class="button approve">Approve…<\/summary>/);
    expect(body).toContain('Approve — resumes execution ');
    expect(body).toContain('Reject — stops execution ');
  });

  it('says an approval only adds to the quorum when more are needed', () => {
    // Act
    const { body } = renderReviewPage(reviewInput({ approval: pendingApproval({ votes: [] }) }));
    // Assess
    expect(body).toContain('Approve — 1 of 2 approvals; execution ');
  });

  it('names people from the people map, one line per person, whatever identity they voted with', () => {
    // Prepare
    const people = {
      people: {
        alice: ['email:alice@example.com', 'slack:U024BE7LH'],
        carol: ['email:carol@example.com', 'slack:U024BE7LC'],
      },
    };
    const approval = pendingApproval({
      approvers: ['person:alice', 'person:carol'],
      votes: [{ approver: 'slack:U024BE7LC', decision: 'approve', channel: 'slack', at: '2026-11-22T09:30:00.000Z' }],
    });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval, people }));
    // Assess
    expect(body.match(/<li><strong>Carol<\/strong>/g)).toHaveLength(1);
    expect(body).toContain('<li><strong>Carol</strong> approved on 2026-11-22 09:30 UTC via Slack');
    expect(body).toContain('<li><strong>Alice</strong> <span class="muted">has not voted</span></li>');
    expect(body).toContain('You are reviewing as <strong>Alice (email:alice@example.com)</strong>');
  });

  it('lets the requester reject but not approve', () => {
    // Prepare
    const approval = pendingApproval({ requestedBy: 'email:alice@example.com', votes: [] });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval }));
    // Assess
    expect(body).not.toContain('value="approve"');
    expect(body).toContain('value="reject"');
    expect(body).toContain('you may reject it, not approve it');
  });

  it('links the AWS console page of the execution in the region of its ARN', () => {
    // Act
    const { body } = renderReviewPage(reviewInput());
    // Assess
    expect(body).toContain(
      `href="https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}"`,
    );
  });

  it('posts the decision with the token, a bounded comment and two decision buttons', () => {
    // Act
    const { body } = renderReviewPage(reviewInput());
    // Assess
    expect(body).toContain('<form method="post" action="/review/apr_0123456789abcdef0123456789abcdef">');
    expect(body).toContain('<input type="hidden" name="t" value="eyJ2IjoxfQ.c2lnbmF0dXJl">');
    expect(body).toMatch(/<textarea[^>]*name="comment"[^>]*maxlength="1000"/);
    expect(body).toContain('<button type="submit" name="decision" value="approve"');
    expect(body).toContain('<button type="submit" name="decision" value="reject"');
    expect(body).not.toMatch(/method="get"/i);
  });

  it('escapes every interpolated value (title, description, fields, votes, identity, token, links)', () => {
    // Prepare
    const approval = pendingApproval({
      title: XSS,
      description: XSS,
      requestedBy: XSS,
      approvers: [XSS],
      context: {
        links: [{ label: XSS, url: `https://example.com/?q="><script>alert(3)</script>` }],
        fields: { [XSS]: XSS },
      },
      votes: [{ approver: XSS, decision: 'approve', channel: 'rest', comment: XSS, at: '2026-11-22T09:30:00.000Z' }],
    });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval, approver: XSS, token: XSS }));
    // Assess
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('"onmouseover=');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=alert(2) &#39;x');
    expect(body).toContain('<title>Waiting: &lt;script&gt;');
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example.com/path',
    '/relative/path',
  ])('does not render the context link %s as a link', (url) => {
    // Prepare
    const approval = pendingApproval({ context: { links: [{ label: 'Runbook', url }], fields: {} } });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval, consoleLinks: [] }));
    // Assess
    expect(body).not.toMatch(/href="(?!https?:)/i);
    expect(body).not.toMatch(/javascript:/i);
    expect(body).toContain('Runbook <span class="muted">(not shown as a link');
  });

  it('never shows the task token, even when handed the stored approval with its source reference', () => {
    // Prepare
    const stored = storedApproval();
    // Act
    const { body } = renderReviewPage(reviewInput({ approval: stored }));
    // Assess
    expect(body).not.toContain(TASK_TOKEN);
    expect(body).not.toContain('SECRET');
  });

  it('renders no form for a closed approval, and shows who decided, when, the outcome and the reason', () => {
    // Prepare
    const approval = closedApproval();
    // Act
    const { body } = renderReviewPage(reviewInput({ approval }));
    // Assess
    expect(body).not.toContain('<form');
    expect(body).not.toContain('name="decision"');
    expect(body).not.toContain('name="t"');
    expect(body).toContain('<h2>Approved</h2>');
    expect(body).toContain('<title>Approved: ');
    expect(body).toContain('<dt>Workflow told</dt><dd>SendTaskSuccess: the execution continues</dd>');
    expect(body).toContain('<dt>Outcome</dt><dd>approved</dd>');
    expect(body).toContain('<dt>Decided by</dt><dd>email:carol@example.com, email:alice@example.com</dd>');
    expect(body).toContain('<dt>Decided at</dt><dd>2026-11-22 09:45 UTC</dd>');
    expect(body).toContain('<dt>Reason</dt><dd>quorum reached</dd>');
  });

  it.each(['resuming', 'rejected', 'expired', 'cancelled', 'failed'] as const)(
    'renders no form when the status is %s',
    (status) => {
      // Prepare
      const approval = pendingApproval({ status });
      // Act
      const { body } = renderReviewPage(reviewInput({ approval }));
      // Assess
      expect(body).not.toContain('<form');
    },
  );

  it('renders no form for a pending approval past its deadline (TTL is lazy)', () => {
    // Prepare
    const approval = pendingApproval({ expiresAt: '2026-11-22T09:00:00.000Z' });
    // Act
    const { body } = renderReviewPage(reviewInput({ approval }));
    // Assess
    expect(body).not.toContain('<form');
    expect(body).toContain('expired');
  });

  it('renders no form for a reviewer who already voted', () => {
    // Prepare
    const input = reviewInput({ approver: 'email:carol@example.com' });
    // Act
    const { body } = renderReviewPage(input);
    // Assess
    expect(body).not.toContain('<form');
    expect(body).toContain('You already voted: approve (');
  });

  it('refuses a form action that could post elsewhere or run script', () => {
    // Act / Assess
    expect(() => renderReviewPage(reviewInput({ formAction: 'javascript:alert(1)' }))).toThrow(TypeError);
    expect(() => renderReviewPage(reviewInput({ formAction: '//evil.example.com/review' }))).toThrow(TypeError);
  });

  it('carries the protective headers', () => {
    // Act
    const response = renderReviewPage(reviewInput());
    // Assess
    expectProtectiveHeaders(response);
    expect(response.body).not.toMatch(/<script|<link|<img|<iframe|src=/i);
  });
});

describe('renderDecisionResultPage', () => {
  it('shows the message, the outcome and the current state, without a form', () => {
    // Prepare
    const approval = closedApproval();
    // Act
    const response = renderDecisionResultPage({ approval, message: 'Your approval was recorded.' });
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Your approval was recorded.');
    expect(response.body).toContain('<dt>Outcome</dt><dd>approved</dd>');
    expect(response.body).toContain('2 of 2 required approvals so far');
    expect(response.body).not.toContain('<form');
    expectProtectiveHeaders(response);
  });

  it('uses the given status code and escapes the message', () => {
    // Act
    const response = renderDecisionResultPage({ approval: pendingApproval(), message: XSS, statusCode: 409 });
    // Assess
    expect(response.statusCode).toBe(409);
    expect(response.body).not.toContain('<script>');
    expect(response.body).toContain('1 of 2 required approvals so far');
  });
});

describe('renderErrorPage', () => {
  it.each([
    [410, 'This link has expired', 'Ask for a new link.'],
    [400, 'This link is not valid', 'The link was changed or is incomplete.'],
    [404, 'Approval not found', 'There is no such approval.'],
    [403, 'Not authorised', 'You are not an approver of this request.'],
    [409, 'Already decided', 'This approval is already closed.'],
  ])('renders a %i page with its title and message and the protective headers', (statusCode, title, message) => {
    // Act
    const response = renderErrorPage(statusCode, title, message);
    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(response.body).toContain(`<h1>${title}</h1>`);
    expect(response.body).toContain(message);
    expectProtectiveHeaders(response);
  });

  it('escapes its text and turns a non-error status into 500', () => {
    // Act
    const response = renderErrorPage(200, XSS, XSS);
    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('<script>');
  });
});

describe('consoleLinksFor', () => {
  it('links a Step Functions execution in the region of its ARN', () => {
    // Act
    const links = consoleLinksFor(pendingApproval(), 'us-east-1');
    // Assess
    expect(links).toEqual([
      {
        label: 'Step Functions execution',
        url: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}`,
      },
    ]);
  });

  it('links an Image Builder image with its URL-encoded build version ARN', () => {
    // Prepare
    const imageArn = 'arn:aws:imagebuilder:us-west-2:111122223333:image/golden-ami/1.0.0/3';
    const approval = pendingApproval({
      source: 'imagebuilder',
      workflowRef: imageArn,
      sourceRef: { kind: 'imagebuilder', workflowStepExecutionId: 'step-x', imageBuildVersionArn: imageArn },
    });
    // Act
    const links = consoleLinksFor(approval, 'us-east-1');
    // Assess
    expect(links).toEqual([
      {
        label: 'Image Builder image',
        url: 'https://us-west-2.console.aws.amazon.com/imagebuilder/home?region=us-west-2#/images/arn%3Aaws%3Aimagebuilder%3Aus-west-2%3A111122223333%3Aimage%2Fgolden-ami%2F1.0.0%2F3/details',
      },
    ]);
  });

  it('links an SSM automation execution in the given region', () => {
    // Prepare
    const id = '4105a4fc-f944-11e6-9d32-0123456789ab';
    const approval = pendingApproval({
      source: 'ssm',
      workflowRef: id,
      sourceRef: { kind: 'ssm', automationExecutionId: id, stepName: 'approve' },
    });
    // Act
    const links = consoleLinksFor(approval, 'ap-southeast-2');
    // Assess
    expect(links).toEqual([
      {
        label: 'Automation execution',
        url: `https://ap-southeast-2.console.aws.amazon.com/systems-manager/automation/execution/${id}?region=ap-southeast-2`,
      },
    ]);
  });

  it('gives no link for an unrecognised reference, an invalid region or another partition', () => {
    // Prepare
    const notAnArn = pendingApproval({ workflowRef: 'javascript:alert(1)' });
    const ssmJunk = pendingApproval({ source: 'ssm', workflowRef: '../../etc' });
    const china = pendingApproval({ workflowRef: 'arn:aws-cn:states:cn-north-1:111122223333:execution:sm:run' });
    // Act
    const results = [
      consoleLinksFor(notAnArn, 'us-east-1'),
      consoleLinksFor(ssmJunk, 'us-east-1'),
      consoleLinksFor(china, 'us-east-1'),
      consoleLinksFor(
        pendingApproval({ source: 'ssm', workflowRef: '4105a4fc-f944-11e6-9d32-0123456789ab' }),
        'evil.com/x',
      ),
    ];
    // Assess
    expect(results).toEqual([[], [], [], []]);
  });
});
