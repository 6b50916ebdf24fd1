/**
 * The Slack Web API client and signing secret. The bot token and signing secret live in Parameter Store (read on
 * first use, cached); the API base URL comes from SLACK_API_URL (default https://slack.com/api/) so the local stack
 * and tests reach a stand-in. The workspace and app interactions must come from are SLACK_TEAM_ID / SLACK_APP_ID.
 */
import type { SlackOrigin } from '../channels/slackSignature';
import { SlackWebApi } from '../channels/slackWebApi';
import { requireEnv } from './environment';
import { readSecureParameter } from './secrets';

let cached: { token: string; client: SlackWebApi } | undefined;

/**
 * One client per bot token (a rotated token makes a new one). Retries 429 (after Retry-After, up to 5 s: the
 * functions run for 10 s), 5xx and timeouts three times; 5 s per attempt.
 */
export async function slackClient(): Promise<SlackWebApi> {
  const token = await readSecureParameter(requireEnv('SLACK_BOT_TOKEN_PARAMETER'));
  if (cached?.token !== token) {
    cached = {
      token,
      client: new SlackWebApi(token, {
        baseUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/',
        retries: 3,
        timeoutMs: 5000,
        maxRetryAfterMs: 5000,
      }),
    };
  }
  return cached.client;
}

export function slackSigningSecret(): Promise<string> {
  return readSecureParameter(requireEnv('SLACK_SIGNING_SECRET_PARAMETER'));
}

/** SLACK_TEAM_ID / SLACK_APP_ID, read on each call; unset or empty means that one is not checked. */
export function slackOrigin(): SlackOrigin {
  return {
    teamId: process.env.SLACK_TEAM_ID?.trim() || undefined,
    appId: process.env.SLACK_APP_ID?.trim() || undefined,
  };
}
