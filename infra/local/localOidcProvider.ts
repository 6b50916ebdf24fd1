/**
 * A real OpenID Connect provider for the local stack (oidc-provider v9, a devDependency): the people of
 * infra/policy.json who have an e-mail identity (alice, bob, carol) sign in with their name and any password, and get
 * an ID token with their verified e-mail address. The inbox talks to it exactly as to any issuer: discovery,
 * authorization code + PKCE, token endpoint, signed ID token (RS256, a key made at start).
 *
 * Development-only: the provider's own login page (devInteractions) accepts any password; consent is skipped for
 * Greenlight's own client (a first-party client, the oidc-provider "skip consent" recipe).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { PeopleMap } from '../../shared/domain/policy';

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** A person by the name they type (`alice`) or their address (`alice@example.com`), with their e-mail. */
function accountsOf(people: PeopleMap): Map<string, { name: string; email: string }> {
  const accounts = new Map<string, { name: string; email: string }>();
  for (const [name, identities] of Object.entries(people)) {
    const email = identities.find((identity) => identity.startsWith('email:'))?.slice('email:'.length);
    if (email === undefined) continue;
    accounts.set(name, { name, email });
    accounts.set(email, { name, email });
  }
  return accounts;
}

export async function startLocalOidcProvider(options: {
  port: number;
  people: PeopleMap;
  redirectUri: string;
  clientId?: string;
  clientSecret: string;
}): Promise<LocalOidcProvider> {
  const clientId = options.clientId ?? 'greenlight-local';
  const accounts = accountsOf(options.people);
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'local-1', alg: 'RS256', use: 'sig' };
  const server = createServer();
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [options.clientSecret] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    ttl: {
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id.trim().toLowerCase());
      if (account === undefined) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: account.name, email: account.email, email_verified: true, name: account.name }),
      };
    },
    loadExistingGrant: async (ctx) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (ctx.oidc.client?.clientId !== clientId || !ctx.oidc.session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // Its log lines (and the devInteractions warning) are not Greenlight's: keep the local stack's output quiet.
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret: options.clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
