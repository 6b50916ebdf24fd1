/**
 * The Slack Web API client and signing secret. The bot token and signing secret live in Parameter Store (read on
 * first use, cached); the API base URL comes from SLACK_API_URL (default https://slack.com/api/) so the local stack
 * and tests reach a stand-in.
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { WebClient } from '@slack/web-api';
import { requireEnv } from './environment';

const CACHE_SECONDS = 300;
let cached: { token: string; client: WebClient } | undefined;

async function secureParameter(variable: string): Promise<string> {
  const value = await getParameter(requireEnv(variable), { decrypt: true, maxAge: CACHE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new Error(`parameter named by ${variable} is empty`);
  return value;
}

/** One WebClient per bot token (a rotated token makes a new one). Retries 429 (after Retry-After) and 5xx. */
export async function slackClient(): Promise<WebClient> {
  const token = await secureParameter('SLACK_BOT_TOKEN_PARAMETER');
  if (cached?.token !== token) {
    cached = {
      token,
      client: new WebClient(token, {
        slackApiUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/',
        retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
        rejectRateLimitedCalls: false,
        timeout: 5000,
      }),
    };
  }
  return cached.client;
}

export function slackSigningSecret(): Promise<string> {
  return secureParameter('SLACK_SIGNING_SECRET_PARAMETER');
}
