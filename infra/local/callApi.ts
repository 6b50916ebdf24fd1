/**
 * `npm run api -- [--client <name>] <METHOD> <path> [json body]`: a call to the running local stack's REST API,
 * signed as one of the policy's clients with its secret kept in the stand-ins' state, so trying the API needs no
 * hand-made HMAC. Default client: `release-bot` (acts for alice and carol); `--client ci-gate` decides as itself.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signRestRequest } from '../../shared/channels/restSignature';
import {
  DEFAULT_REST_CLIENT,
  LOCAL_REST_CLIENTS,
  REST_CLIENT_SECRETS_PREFIX,
  restClientCredentials,
} from './localStack';

const USAGE = 'usage: npm run api -- [--client <name>] <GET|POST> </v1/...> [json body]';

function parseArguments(argv: string[]): { client: string; method: string; path: string; body: string } {
  const rest = [...argv];
  let client = DEFAULT_REST_CLIENT;
  const flag = rest.findIndex((argument) => argument === '--client' || argument.startsWith('--client='));
  if (flag >= 0) {
    const [argument = ''] = rest.splice(flag, 1);
    client = argument.includes('=') ? argument.slice('--client='.length) : (rest.splice(flag, 1)[0] ?? '');
  }
  const [method = '', path = '', body = ''] = rest;
  if (!client || !method || !path.startsWith('/')) {
    console.error(USAGE);
    process.exit(2);
  }
  return { client, method, path, body };
}

async function main(): Promise<void> {
  const { client, method, path, body } = parseArguments(process.argv.slice(2));
  const dataDir = resolve(process.env.GREENLIGHT_DATA_DIR ?? '.data');
  const state = JSON.parse(readFileSync(join(dataDir, 'aws-standins.json'), 'utf8'));
  const parameterName = `${REST_CLIENT_SECRETS_PREFIX}${client}`;
  const parameter: { value?: string } | undefined = state.ssm?.parameters?.[parameterName];
  if (parameter?.value === undefined) {
    console.error(
      `the local stack holds no secret for client ${client} (${parameterName}); ` +
        `its clients with one: ${LOCAL_REST_CLIENTS.join(', ')}`,
    );
    process.exit(2);
  }
  const credentials = restClientCredentials(client, parameter.value);
  const base = process.env.GREENLIGHT_URL ?? `http://127.0.0.1:${process.env.GREENLIGHT_PORT ?? 3000}`;
  const signature = signRestRequest(credentials, {
    method,
    pathWithQuery: path,
    body,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-greenlight-signature': signature, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
  console.log(`HTTP ${response.status} (signed as client ${client})`);
  const text = await response.text();
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  process.exit(response.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error('the call failed (is `npm start` running?):', error instanceof Error ? error.message : error);
  process.exit(1);
});
