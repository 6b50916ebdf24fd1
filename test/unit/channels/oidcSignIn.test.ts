/**
 * Sign-in against a fake issuer served through openid-client's customFetch: its discovery document, its keys and a
 * token endpoint answering with an ID token this test signs. Only a verified ID token of the configured issuer, for
 * our client, with the sign-in's nonce and a verified e-mail address, signs anyone in.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SsoSignInError } from '../../../shared/channels/errors';
import { beginSignIn, completeSignIn, discoverIssuer } from '../../../shared/channels/oidcSignIn';

const ISSUER = 'https://issuer.example.com';
const CLIENT_ID = 'greenlight';
const REDIRECT_URI = 'https://greenlight.example.com/inbox/callback';
type Claims = Record<string, unknown>;
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let issuerKey: SigningKey;
let foreignKey: SigningKey;
let jwks: { keys: unknown[] };

beforeAll(async () => {
  const own = await generateKeyPair('RS256', { extractable: true });
  issuerKey = own.privateKey;
  foreignKey = (await generateKeyPair('RS256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
});

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

function idToken(claims: Claims, key: SigningKey = issuerKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: CLIENT_ID, sub: 'alice', iat: now, exp: now + 300, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(key);
}

/** Signs in once against the fake issuer, whose token endpoint answers with `makeToken(nonce)`. */
async function signInWith(makeToken: (nonce: string) => Promise<string>): Promise<string> {
  let nonce = '';
  const config = await discoverIssuer(
    { issuer: ISSUER, clientId: CLIENT_ID, clientSecret: 'secret' },
    {
      customFetch: async (url) => {
        if (url === `${ISSUER}/.well-known/openid-configuration`) {
          return json({
            issuer: ISSUER,
            authorization_endpoint: `${ISSUER}/authorize`,
            token_endpoint: `${ISSUER}/token`,
            jwks_uri: `${ISSUER}/jwks`,
            userinfo_endpoint: `${ISSUER}/userinfo`,
            id_token_signing_alg_values_supported: ['RS256'],
          });
        }
        if (url === `${ISSUER}/jwks`) return json(jwks);
        if (url === `${ISSUER}/token`) {
          return json({ access_token: 'at', token_type: 'Bearer', id_token: await makeToken(nonce) });
        }
        return new Response('not found', { status: 404 });
      },
    },
  );
  const { authorizationUrl, pending } = await beginSignIn(config, REDIRECT_URI, '/inbox');
  nonce = authorizationUrl.searchParams.get('nonce') ?? '';
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
  const callback = new URL(`${REDIRECT_URI}?code=abc&state=${encodeURIComponent(pending.state)}`);
  return completeSignIn(config, callback, pending, ['email:*@example.com']);
}

async function refusalOf(makeToken: (nonce: string) => Promise<string>): Promise<string> {
  const error = await signInWith(makeToken).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SsoSignInError);
  return (error as SsoSignInError).reason;
}

describe('OpenID Connect sign-in', () => {
  it('signs in the verified e-mail address of the ID token, in canonical form', async () => {
    const identity = await signInWith((nonce) => idToken({ nonce, email: 'Alice@Example.COM', email_verified: true }));
    expect(identity).toBe('email:alice@example.com');
  });

  it('refuses an ID token from a foreign issuer', async () => {
    const reason = await refusalOf((nonce) =>
      idToken({ nonce, iss: 'https://foreign.example.com', email: 'alice@example.com', email_verified: true }),
    );
    expect(reason).toBe('issuer');
  });

  it('refuses an ID token signed with another key (a forged one)', async () => {
    const reason = await refusalOf((nonce) =>
      idToken({ nonce, email: 'alice@example.com', email_verified: true }, foreignKey),
    );
    expect(reason).toBe('issuer');
  });

  it('refuses a tampered ID token (another e-mail address in the signed payload)', async () => {
    const reason = await refusalOf(async (nonce) => {
      const [header, payload, signature] = (
        await idToken({ nonce, email: 'bob@example.com', email_verified: true })
      ).split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
      const changed = Buffer.from(JSON.stringify({ ...claims, email: 'alice@example.com' })).toString('base64url');
      return `${header}.${changed}.${signature}`;
    });
    expect(reason).toBe('issuer');
  });

  it('refuses an ID token for another client, or from another sign-in (nonce)', async () => {
    expect(
      await refusalOf((nonce) =>
        idToken({ nonce, aud: 'someone-else', email: 'alice@example.com', email_verified: true }),
      ),
    ).toBe('issuer');
    expect(
      await refusalOf(() => idToken({ nonce: 'replayed', email: 'alice@example.com', email_verified: true })),
    ).toBe('issuer');
  });

  it('refuses an unverified e-mail address, and one outside identities.allowed', async () => {
    expect(await refusalOf((nonce) => idToken({ nonce, email: 'alice@example.com', email_verified: false }))).toBe(
      'email',
    );
    expect(await refusalOf((nonce) => idToken({ nonce, email: 'mallory@evil.example', email_verified: true }))).toBe(
      'identity',
    );
  });
});
