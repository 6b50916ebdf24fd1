import { describe, expect, it } from 'vitest';
import { type ApprovalEmailOptions, approvalEmail } from '../../../shared/channels/approvalEmail';
import type { PublicApproval } from '../../../shared/domain/approval';
import { consoleLinksFor } from '../../../shared/sources/sourcePresentations';
import { APPROVAL_ID, EXECUTION_ARN, NOW, publicApprovalFixtures, TASK_TOKEN } from '../../support/publicApprovals';

const REVIEW_URL = `https://greenlight.example.com/review/${APPROVAL_ID}?t=v1.alice.signature`;
const XSS = '<script>alert(1)</script>"onmouseover=alert(2) \'x';

const { storedApproval, publicApproval } = publicApprovalFixtures({
  description: 'Rolls out the new fraud rules.\nRollback plan in the ticket.',
  context: {
    links: [
      { label: 'Change ticket', url: 'https://tickets.example.com/CHG-1234' },
      { label: 'Sneaky', url: 'javascript:alert(1)' },
    ],
    fields: { environment: 'production', version: '2.3.0' },
  },
  approvers: ['email:alice@example.com', 'email:carol@example.com', 'slack:U0DAVE'],
  votes: [
    {
      approver: 'email:carol@example.com',
      decision: 'approve',
      channel: 'slack',
      at: '2026-11-22T09:30:00.000Z',
      idempotencyKey: 'IDEMPOTENCY-KEY-SECRET',
    },
  ],
});

function options(overrides: Partial<ApprovalEmailOptions> = {}): ApprovalEmailOptions {
  return {
    recipient: 'alice@example.com',
    reviewUrl: REVIEW_URL,
    consoleLinks: consoleLinksFor(publicApproval(), 'eu-west-1'),
    now: NOW,
    ...overrides,
  };
}

/** Every href in the HTML part. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
}

describe('approvalEmail', () => {
  it('names the request in the subject', () => {
    // Act
    const { subject } = approvalEmail(publicApproval(), options());
    // Assess
    expect(subject).toBe('[Approval needed] Deploy payments v2.3 to production');
  });

  it('puts the review link and the facts in both parts', () => {
    // Act
    const { text, html } = approvalEmail(publicApproval(), options());
    // Assess
    const escapedReviewUrl = REVIEW_URL.replace(/&/g, '&amp;');
    expect(text).toContain(`Review and decide: ${REVIEW_URL}`);
    expect(html).toContain(`href="${escapedReviewUrl}"`);
    expect(html).toMatch(/<a href="[^"]+"[^>]*>Review and decide<\/a>/);
    const facts = [
      'AWS Step Functions',
      EXECUTION_ARN,
      'email:bob@example.com',
      'email:alice@example.com, email:carol@example.com, slack:U0DAVE',
      '2 of 3 approvers must approve',
      '2026-11-24 13:00 UTC (2 days 3 hours left)',
      'Rolls out the new fraud rules.',
      'environment',
      'production',
      '2.3.0',
      'Change ticket',
      'https://tickets.example.com/CHG-1234',
      'Step Functions execution',
      APPROVAL_ID,
    ];
    for (const fact of facts) {
      expect(text).toContain(fact);
      expect(html).toContain(fact);
    }
    expect(text).toContain('Description:\nRolls out the new fraud rules.\nRollback plan in the ticket.');
    expect(text).toContain(`  - Step Functions execution: ${options().consoleLinks[0]?.url}`);
  });

  it('offers no one-click decision: every link is the review page or a context / console link', () => {
    // Act
    const { text, html } = approvalEmail(publicApproval(), options());
    // Assess
    const consoleUrl = options().consoleLinks[0]?.url ?? '';
    expect(new Set(hrefs(html))).toEqual(
      new Set(
        [REVIEW_URL, 'https://tickets.example.com/CHG-1234', consoleUrl].map((url) => url.replace(/&/g, '&amp;')),
      ),
    );
    expect(`${text}${html}`).not.toMatch(/decision=|[?&]approve|[?&]reject/i);
    expect(html).not.toMatch(/<form|<button/i);
  });

  it('links only http(s) URLs', () => {
    // Act
    const { text, html } = approvalEmail(publicApproval(), options());
    // Assess
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
    expect(html).toContain('Sneaky <span');
    expect(text).toContain('  - Sneaky (not shown as a link: only http and https links are allowed)');
  });

  it('loads nothing external: no images, style sheets, fonts or scripts', () => {
    // Act
    const { html } = approvalEmail(publicApproval(), options());
    // Assess
    expect(html).not.toMatch(/<img|<link|<script|<iframe|<object|<embed|@import|url\(|src=/i);
  });

  it('escapes every attacker-chosen value in the HTML part', () => {
    // Arrange
    const approval = publicApproval({
      title: XSS,
      description: XSS,
      requestedBy: XSS,
      workflowRef: XSS,
      approvers: [XSS],
      context: {
        links: [{ label: XSS, url: `https://example.com/"><script>alert(3)</script>` }],
        fields: { [XSS]: XSS },
      },
    });
    // Act
    const { html } = approvalEmail(approval, options({ recipient: XSS }));
    // Assess
    expect(html).not.toContain('<script');
    expect(html).not.toContain('"onmouseover');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=alert(2) &#39;x');
    expect(html).toContain('href="https://example.com/%22%3E%3Cscript%3Ealert(3)%3C/script%3E"');
  });

  it('neutralises header injection in the subject', () => {
    // Arrange
    const approval = publicApproval({ title: 'Deploy\r\nBcc: x@evil.example\r\n\r\nbody\u0000\u2028\u202Eexe.pdf' });
    // Act
    const { subject } = approvalEmail(approval, options());
    // Assess
    expect(subject).toBe('[Approval needed] Deploy Bcc: x@evil.example body exe.pdf');
    expect(subject).not.toMatch(/[\p{Cc}\u2028\u202E]/u);
  });

  it('keeps the subject to one reasonably short line', () => {
    // Act
    const { subject } = approvalEmail(publicApproval({ title: 'x'.repeat(5000) }), options());
    // Assess
    expect(subject.length).toBeLessThanOrEqual('[Approval needed] '.length + 200);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('picks fields: an extra sourceRef (or idempotency data) on the input never reaches the mail', () => {
    // Arrange
    const withSecrets = {
      ...publicApproval(),
      sourceRef: { taskToken: 'SECRET' },
      resumeLeaseUntil: 'SECRET-LEASE',
      votes: [{ ...storedApproval().votes[0], idempotencyKey: 'SECRET-KEY', requestHash: 'SECRET-HASH' }],
    } as unknown as PublicApproval;
    // Act
    const email = approvalEmail(withSecrets, options());
    // Assess
    const json = JSON.stringify(email);
    expect(json).not.toContain('SECRET');
    expect(json).not.toContain('taskToken');
    expect(json).not.toContain(TASK_TOKEN);
  });

  it('refuses a review URL that is not http(s)', () => {
    // Act / Assess
    expect(() => approvalEmail(publicApproval(), options({ reviewUrl: 'javascript:alert(1)' }))).toThrow(TypeError);
    expect(() => approvalEmail(publicApproval(), options({ reviewUrl: '/review/relative' }))).toThrow(TypeError);
  });

  it('says "any authorised approver" when there is no approver list', () => {
    // Act
    const { text } = approvalEmail(publicApproval({ approvers: [], requiredApprovals: 1 }), options());
    // Assess
    expect(text).toContain('any authorised approver');
    expect(text).toContain('1 approval needed from any authorised approver');
  });
});
