/**
 * `npx greenlight` against the local stack, as a person runs it: the stack (in-process, with a data folder) writes its
 * IAM users' keys as an AWS shared credentials file; the CLI, a child process, signs with alice's profile through the
 * SDK's standard credential chain and decides as her.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { DecisionHarness } from '../support/decisionHarness';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-cli-'));
let stack: LocalStack;
let harness: DecisionHarness;

beforeAll(async () => {
  stack = await startLocalStack({ dataDir });
  harness = new DecisionHarness(stack);
});

afterAll(async () => {
  harness?.close();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npx greenlight …` from the checkout with a profile of the local credentials file, and nothing else of AWS's. */
async function greenlight(profile: string, args: string[]) {
  const {
    AWS_ACCESS_KEY_ID: _k,
    AWS_SECRET_ACCESS_KEY: _s,
    AWS_SESSION_TOKEN: _t,
    AWS_PROFILE: _p,
    AWS_DEFAULT_PROFILE: _d,
    ...env
  } = process.env;
  try {
    const { stdout, stderr } = await run('npx', ['greenlight', ...args], {
      cwd: root,
      timeout: 30_000,
      env: {
        ...env,
        GREENLIGHT_API_URL: stack.httpUrl,
        AWS_SHARED_CREDENTIALS_FILE: stack.iam.credentialsFile,
        AWS_CONFIG_FILE: join(dataDir, 'no-aws-config'),
        AWS_PROFILE: profile,
        AWS_REGION: 'us-east-1',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npx greenlight', () => {
  it('finds alice, bob and carol as profiles of <data>/aws-credentials, readable by the owner only', () => {
    const file = stack.iam.credentialsFile ?? '';
    expect(file).toBe(join(dataDir, 'aws-credentials'));
    const text = readFileSync(file, 'utf8');
    for (const user of stack.iam.users) {
      expect(text).toContain(`[${user.name}]\naws_access_key_id = ${user.accessKeyId}\n`);
    }
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(statSync(join(dataDir, 'iam-credentials.json')).mode & 0o077).toBe(0);
  });

  it('lists, then approves as alice with her profile: the vote is her IAM ARN, and the workflow is answered', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const listed = await greenlight('alice', ['list']);
    const approved = await greenlight('alice', ['approve', workflow.approvalId, '--comment', 'ship it']);
    // Assess
    expect(listed.stderr).not.toMatch(/greenlight:/);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(workflow.approvalId);
    expect(approved.stderr).not.toMatch(/greenlight:/);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approve recorded: ${workflow.approvalId}  approved`);
    const approval = await stack.store.get(workflow.approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.votes).toMatchObject([
      {
        approver: 'iam:arn:aws:iam::111122223333:user/alice',
        person: 'person:alice',
        channel: 'iam',
        comment: 'ship it',
      },
    ]);
    expect(harness.answerCalls(workflow)).toHaveLength(1);
  }, 60_000);

  it('fails with the reason, and changes nothing, when the signer may not decide (bob on a state machine of alice and carol)', async () => {
    // Prepare
    const workflow = await harness.openWaiting('stepfunctions');
    // Act
    const refused = await greenlight('bob', ['reject', workflow.approvalId]);
    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('greenlight: 403 not_an_approver');
    expect((await stack.store.get(workflow.approvalId))?.votes).toEqual([]);
  }, 60_000);
});
