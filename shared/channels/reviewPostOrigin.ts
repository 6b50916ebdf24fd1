/**
 * A review-link decision must be posted by Greenlight's own review page. The link's signature proves who decides;
 * this proves where the browser was when it posted, so a page elsewhere that holds (or guesses at) a link cannot make
 * a browser decide with it. Browsers say where a form POST comes from in two headers:
 *   - `Origin`: the posting page's origin. It must equal the public base URL's origin (scheme, host and port; the
 *     base URL's path does not count). The review page sends `Referrer-Policy: same-origin`, under which a browser
 *     sends its real origin on a same-origin form POST (`no-referrer` would make it `Origin: null`).
 *   - `Sec-Fetch-Site: same-origin` (Fetch Metadata): the browser itself vouches the POST came from this origin —
 *     enough even when `Origin` differs from the configured base URL (the same API reached by another host name).
 * Anything else is refused: a foreign or `null` Origin, `Sec-Fetch-Site` `cross-site` / `same-site` / `none`, or
 * neither header. Without a public base URL only `Sec-Fetch-Site: same-origin` passes.
 */
import { ReviewPostOriginError } from './errors';

/** How much of a refused header the error keeps (the header is the caller's text, of any length). */
const KEPT_HEADER_CHARACTERS = 100;

/** An absolute http(s) URL; undefined for anything else (`null`, other schemes, garbage). */
function parseHttpUrl(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The origin an `Origin` header names, when it names one and nothing more (no credentials, path, query, fragment). */
function originOfHeader(header: string | undefined): string | undefined {
  const url = parseHttpUrl(header);
  if (url === undefined || url.username !== '' || url.password !== '') return undefined;
  return url.pathname === '/' && url.search === '' && url.hash === '' ? url.origin : undefined;
}

/**
 * Throws {@link ReviewPostOriginError} unless the request's `Origin` is the origin of `publicBaseUrl` or its
 * `Sec-Fetch-Site` is `same-origin`. `headers` are the request's, names lower-cased (as API Gateway and middy's
 * header normalizer give them).
 */
export function assertPostedFromReviewPage(
  headers: Readonly<Record<string, string | undefined>>,
  publicBaseUrl: string | undefined,
): void {
  const origin = headers.origin;
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite?.trim().toLowerCase() === 'same-origin') return;
  const expected = parseHttpUrl(publicBaseUrl)?.origin;
  if (expected !== undefined && originOfHeader(origin) === expected) return;
  throw new ReviewPostOriginError(
    origin?.slice(0, KEPT_HEADER_CHARACTERS),
    fetchSite?.slice(0, KEPT_HEADER_CHARACTERS),
  );
}
