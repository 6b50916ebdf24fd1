/**
 * `npm run api -- <METHOD> <path> [json body]`: a signed call to the running local stack's REST API, so trying the
 * API needs no hand-made HMAC. The secret is the local one kept with the stand-ins' state.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signRestRequest } from '../../shared/channels/restSignature';
import { REST_SIGNING_SECRET_PARAMETER } from './localStack';

async function main(): Promise<void> {
  const [method = '', path = '', body = ''] = process.argv.slice(2);
  if (!method || !path.startsWith('/')) {
    console.error('usage: npm run api -- <GET|POST> </v1/...> [json body]');
    process.exit(2);
  }
  const dataDir = resolve(process.env.GREENLIGHT_DATA_DIR ?? '.data');
  const state = JSON.parse(readFileSync(join(dataDir, 'aws-standins.json'), 'utf8'));
  const secret: string = state.ssm.parameters[REST_SIGNING_SECRET_PARAMETER].value;
  const base = process.env.GREENLIGHT_URL ?? `http://127.0.0.1:${process.env.GREENLIGHT_PORT ?? 3000}`;
  const signature = signRestRequest(secret, {
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
  console.log(`HTTP ${response.status}`);
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
