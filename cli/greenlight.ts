/**
 * `npx greenlight` — list, show and decide on approvals as yourself, with your own AWS credentials.
 *
 *   greenlight list [--status pending|resuming]
 *   greenlight show <id>
 *   greenlight approve <id> [--comment "…"]
 *   greenlight reject <id> [--comment "…"]
 *
 * Calls the IAM-authenticated routes (`/v1/iam/…`) of GREENLIGHT_API_URL (default: the local stack,
 * http://127.0.0.1:3000), signed with AWS Signature Version 4 for `execute-api`. Credentials and region come from the
 * AWS SDK's standard chains (environment, AWS_PROFILE / shared config and credentials files, SSO, …); with no region
 * configured, the one in an `execute-api.<region>.amazonaws.com` URL, else us-east-1. Greenlight decides as the
 * IAM principal that signed (`iam:<ARN>`), joined to a person by the policy's people map.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { signedHeaders } from './sigV4';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

const USAGE = `usage: greenlight <command>

  list [--status pending|resuming]     open approvals
  show <id>                            one approval (JSON)
  approve <id> [--comment "…"]         approve as the IAM principal of your AWS credentials
  reject <id> [--comment "…"]          reject, likewise

Environment: GREENLIGHT_API_URL (default ${DEFAULT_API_URL}), and the AWS SDK's usual AWS_PROFILE,
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_SHARED_CREDENTIALS_FILE, AWS_REGION, ….
Local stack: AWS_SHARED_CREDENTIALS_FILE=.data/aws-credentials AWS_PROFILE=alice npx greenlight list`;

export class CliError extends Error {
  override readonly name = 'CliError';
}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface PublicApprovalView {
  id: string;
  source: string;
  status: string;
  title: string;
  approvers: string[];
  requiredApprovals: number;
  votes: Array<{ approver: string; decision: string; channel: string }>;
  expiresAt: string;
  outcome?: string;
}

function parseArgs(argv: readonly string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') flags.set('help', 'true');
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      flags.set(name, value);
    } else positional.push(arg);
  }
  return { positional, flags };
}

async function regionFor(apiUrl: URL, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS })();
  } catch {
    return (
      /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(apiUrl.hostname)?.[1] ?? env.GREENLIGHT_REGION ?? 'us-east-1'
    );
  }
}

async function call(
  apiUrl: URL,
  method: 'GET' | 'POST',
  path: string,
  env: NodeJS.ProcessEnv,
  body?: unknown,
): Promise<unknown> {
  const url = new URL(`${apiUrl.pathname.replace(/\/$/, '')}${path}`, apiUrl);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signedHeaders(
    { method, url, ...(text === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: text }) },
    { region: await regionFor(apiUrl, env), credentials: defaultProvider() },
  );
  const { host: _host, ...sent } = headers; // fetch sets Host itself, to the same value
  const response = await fetch(url, { method, headers: sent, ...(text === undefined ? {} : { body: text }) });
  const reply = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply);
  } catch {
    parsed = reply;
  }
  if (response.ok) return parsed;
  const error = (parsed as { error?: { code?: string; message?: string } })?.error;
  if (error?.code) throw new CliError(`${response.status} ${error.code}: ${error.message ?? ''}`);
  const gateway = (parsed as { message?: string })?.message;
  if (gateway) throw new CliError(`${response.status} (API Gateway): ${gateway}`);
  throw new CliError(`${response.status} ${response.statusText}: ${reply.slice(0, 200)}`);
}

function summary(approval: PublicApprovalView): string {
  const approvals = new Set(approval.votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.approver));
  return `${approval.id}  ${approval.status}${approval.outcome ? ` (${approval.outcome})` : ''}  ${approval.votes.length} vote(s), ${approvals.size} of ${approval.requiredApprovals} approval(s)`;
}

/** Runs one command; returns the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io?: Output,
): Promise<number> {
  const { out, err } = io ?? { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  try {
    const { positional, flags } = parseArgs(argv);
    const [command, id, ...rest] = positional;
    if (flags.has('help') || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !flags.has('help') ? 2 : 0;
    }
    if (rest.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(rest[0])}`);
    const apiUrl = new URL(env.GREENLIGHT_API_URL || DEFAULT_API_URL);
    switch (command) {
      case 'list': {
        if (id !== undefined) throw new CliError('list takes no id');
        const status = flags.get('status') ?? 'pending';
        const items: PublicApprovalView[] = [];
        let cursor: string | undefined;
        do {
          const query = new URLSearchParams({ status, limit: '100', ...(cursor ? { cursor } : {}) });
          const page = (await call(apiUrl, 'GET', `/v1/iam/approvals?${query}`, env)) as {
            items: PublicApprovalView[];
            nextCursor?: string;
          };
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        out(`${items.length} ${status} approval${items.length === 1 ? '' : 's'}`);
        for (const approval of items) {
          out(
            `${approval.id}  ${approval.source.padEnd(13)} ${approval.status.padEnd(8)} ${printable(approval.title)}`,
          );
        }
        return 0;
      }
      case 'show': {
        if (id === undefined) throw new CliError('show needs an approval id');
        out(JSON.stringify(await call(apiUrl, 'GET', `/v1/iam/approvals/${encodeURIComponent(id)}`, env), null, 2));
        return 0;
      }
      case 'approve':
      case 'reject': {
        if (id === undefined) throw new CliError(`${command} needs an approval id`);
        const comment = flags.get('comment');
        const approval = (await call(apiUrl, 'POST', `/v1/iam/approvals/${encodeURIComponent(id)}/decision`, env, {
          decision: command,
          ...(comment === undefined ? {} : { comment }),
        })) as PublicApprovalView;
        out(`${command} recorded: ${summary(approval)}`);
        return 0;
      }
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } catch (error) {
    err(`greenlight: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** Text from a request as a terminal may show it: control characters (escape sequences, carriage returns) made visible. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
