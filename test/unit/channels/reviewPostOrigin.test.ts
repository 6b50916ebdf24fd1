import { describe, expect, it } from 'vitest';
import { ReviewPostOriginError } from '../../../shared/channels/errors';
import { assertPostedFromReviewPage } from '../../../shared/channels/reviewPostOrigin';

const BASE_URL = 'https://abcdef1234.execute-api.us-east-1.amazonaws.com';

/** 'accepted' or 'refused' (any other error is thrown). */
function verdictOf(headers: Record<string, string | undefined>, publicBaseUrl: string | undefined) {
  try {
    assertPostedFromReviewPage(headers, publicBaseUrl);
    return 'accepted';
  } catch (error) {
    if (error instanceof ReviewPostOriginError) return 'refused';
    throw error;
  }
}

describe('assertPostedFromReviewPage', () => {
  it.each([
    ['the base URL origin', { origin: BASE_URL }],
    ['the base URL origin with a trailing slash', { origin: `${BASE_URL}/` }],
    ['the base URL origin spelled in capitals, with the default port', { origin: `${BASE_URL.toUpperCase()}:443` }],
    ['Sec-Fetch-Site: same-origin alone', { 'sec-fetch-site': 'same-origin' }],
    ['Sec-Fetch-Site: same-origin with Origin: null', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    [
      'Sec-Fetch-Site: same-origin from another host name of the same API',
      { origin: 'https://approvals.example.com', 'sec-fetch-site': 'same-origin' },
    ],
    ['the base origin with Sec-Fetch-Site: same-origin', { origin: BASE_URL, 'sec-fetch-site': 'same-origin' }],
  ])('accepts %s', (_name, headers) => {
    // Act
    const verdict = verdictOf(headers, BASE_URL);
    // Assess
    expect(verdict).toBe('accepted');
  });

  it.each([
    ['neither header', {}],
    ['a cross-site Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['an empty Origin', { origin: '' }],
    ['the base origin over http', { origin: BASE_URL.replace('https:', 'http:') }],
    ['the base origin on another port', { origin: `${BASE_URL}:8443` }],
    ['a host that only starts like the base', { origin: `${BASE_URL}.evil.example` }],
    ['a parent domain of the base', { origin: 'https://execute-api.us-east-1.amazonaws.com' }],
    ['an Origin with a path', { origin: `${BASE_URL}/review` }],
    ['an Origin with credentials', { origin: BASE_URL.replace('https://', 'https://user:pass@') }],
    ['two Origin headers joined', { origin: `${BASE_URL},https://evil.example` }],
    ['a non-http Origin', { origin: 'file://' }],
    ['garbage', { origin: 'not a url' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }],
    [
      'Sec-Fetch-Site: cross-site with a foreign Origin',
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses %s', (_name, headers) => {
    // Act
    const verdict = verdictOf(headers, BASE_URL);
    // Assess
    expect(verdict).toBe('refused');
  });

  it('compares origins only: a base URL with a path accepts its origin', () => {
    // Prepare
    const withPath = `${BASE_URL}/prod/`;
    // Act
    const verdicts = [verdictOf({ origin: BASE_URL }, withPath), verdictOf({ origin: `${BASE_URL}/prod` }, withPath)];
    // Assess
    expect(verdicts).toEqual(['accepted', 'refused']);
  });

  it.each([
    ['not configured', undefined],
    ['empty', ''],
    ['not a URL', 'abcdef1234.execute-api.us-east-1.amazonaws.com'],
  ])('with a public base URL %s, only Sec-Fetch-Site: same-origin passes', (_name, publicBaseUrl) => {
    // Act
    const verdicts = [
      verdictOf({ origin: BASE_URL }, publicBaseUrl),
      verdictOf({ origin: 'null' }, publicBaseUrl),
      verdictOf({ 'sec-fetch-site': 'same-origin' }, publicBaseUrl),
    ];
    // Assess
    expect(verdicts).toEqual(['refused', 'refused', 'accepted']);
  });

  it('keeps what the request said, cut short, and names only the rule', () => {
    // Prepare
    const origin = `https://${'x'.repeat(500)}.example`;
    // Act
    let refusal: unknown;
    try {
      assertPostedFromReviewPage({ origin, 'sec-fetch-site': 'cross-site' }, BASE_URL);
    } catch (error) {
      refusal = error;
    }
    // Assess
    expect(refusal).toBeInstanceOf(ReviewPostOriginError);
    const error = refusal as ReviewPostOriginError;
    expect(error.name).toBe('ReviewPostOriginError');
    expect(error.origin).toBe(origin.slice(0, 100));
    expect(error.fetchSite).toBe('cross-site');
    expect(error.message).toContain("not posted from Greenlight's review page");
    expect(error.message).not.toContain('xxx');
  });
});
