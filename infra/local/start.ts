/**
 * `npm start`: the whole of Greenlight on this machine, no AWS account needed. Data lives in .data/ (or
 * GREENLIGHT_DATA_DIR) so a restart keeps it; the first start seeds one waiting workflow per source.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PublicApproval } from '../../shared/domain/approval';
import { peopleEntry } from '../../shared/domain/policy';
import { policyDocument } from '../../shared/runtime/policy';
import { listOpenApprovals } from './localHttpServer';
import { startLocalStack } from './localStack';
import { seedWaitingWorkflows } from './seedWaitingWorkflows';

const port = (variable: string, fallback: number) => Number(process.env[variable] ?? fallback);

/**
 * An identity to review as: a `person:<name>` entry (the policy's usual form) stands for that person's e-mail; else
 * an e-mail or Slack identity first (SSM lists Greenlight's own role among its approvers).
 */
function reviewerOf(approval: PublicApproval): string | undefined {
  const identities = approval.approvers.flatMap((entry) =>
    entry.startsWith('person:') ? (peopleEntry(policyDocument.people, entry.slice('person:'.length)) ?? []) : [entry],
  );
  return (
    identities.find((identity) => identity.startsWith('email:') || identity.startsWith('slack:')) ??
    identities.find((identity) => !identity.includes(':role/'))
  );
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.GREENLIGHT_DATA_DIR ?? '.data');
  const firstStart = !existsSync(join(dataDir, 'aws-standins.json'));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.LOG_LEVEL ??= 'WARN'; // the functions' INFO lines would bury the summary below; LOG_LEVEL=INFO shows them
  const stack = await startLocalStack({
    dataDir,
    httpPort: port('GREENLIGHT_PORT', 3000),
    standinsPort: port('GREENLIGHT_STANDINS_PORT', 4010),
    dynamoPort: port('GREENLIGHT_DYNAMODB_PORT', 8000),
    slackPort: port('GREENLIGHT_SLACK_PORT', 4011),
    oidcPort: port('GREENLIGHT_OIDC_PORT', 4012),
    sweepEverySeconds: Number(process.env.GREENLIGHT_SWEEP_SECONDS ?? 60),
  });
  if (firstStart) await seedWaitingWorkflows(stack);

  const approvals = await listOpenApprovals(stack.store);
  const reviewLinkLine = (approval: PublicApproval) => {
    const reviewer = approval.status === 'pending' ? reviewerOf(approval) : undefined;
    return reviewer ? [`      review as ${reviewer}: ${stack.reviewLink(approval.id, reviewer)}`] : [];
  };
  const lines = [
    '',
    `Greenlight is running locally (${firstStart ? 'first start: seeded one waiting workflow per source' : 'data kept from the last run'}).`,
    `  Open approvals:       ${stack.httpUrl}/`,
    `  Outbox (Slack, mail): ${stack.httpUrl}/local/outbox`,
    `  Inbox (sign in):      ${stack.httpUrl}/inbox  — as alice, bob or carol, any password (OpenID Connect: ${stack.oidc.issuer})`,
    `  AWS stand-ins state:  ${stack.standins.url}/__standins/state`,
    `  DynamoDB (dynalite):  ${stack.dynamoEndpoint}  table greenlight-local-approvals`,
    `  Data folder:          ${dataDir}`,
    '  Inject an event:      npm run event -- events/imagebuilder/workflow-step-waiting.json',
    '',
    `${approvals.filter((approval) => approval.status === 'pending').length} pending approvals:`,
    ...approvals.flatMap((approval) => [
      `  ${approval.source.padEnd(13)} ${approval.id}  ${approval.status.padEnd(8)} ${approval.title}`,
      ...reviewLinkLine(approval),
    ]),
    '',
    'Open a review link and approve or reject; the stand-ins record the answer the workflow receives:',
    `  ${stack.standins.url}/__standins/calls`,
    'Signed REST calls (as client release-bot, which acts for alice and carol; --client ci-gate decides as itself):',
    `  npm run api -- POST /v1/approvals/<id>/decision '{"decision":"approve","approver":"email:alice@example.com"}'`,
    'IAM-signed calls (SigV4) as alice, bob or carol — their local access keys are profiles in the data folder:',
    `  ${stack.httpUrl === 'http://127.0.0.1:3000' ? '' : `GREENLIGHT_API_URL=${stack.httpUrl} `}AWS_SHARED_CREDENTIALS_FILE=${stack.iam.credentialsFile} AWS_PROFILE=alice npx greenlight approve <id>`,
    '',
    'Ctrl-C stops; the next `npm start` keeps everything.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Greenlight…`);
    await stack.close();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Greenlight could not start:', error);
  process.exit(1);
});
