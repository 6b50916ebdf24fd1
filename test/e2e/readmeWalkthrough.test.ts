/**
 * The README's newcomer path, with its commands as written: inject the minimal Step Functions request with
 * `npm run event`, approve it with `npm run api`, and see the stand-in's state machine take the answer (a request
 * injected by hand is a Task the local Step Functions knows, as a real state machine's would be).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../support/fixtures';
import { interrupt, startGreenlight } from '../support/runningGreenlight';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-walkthrough-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * `npm run <script> -- …args` against the running stack (npm's own output left out with --silent): the JSON it prints
 * (`npm run api` puts an `HTTP 200 (…)` line before it).
 */
// biome-ignore lint/suspicious/noExplicitAny: the scripts print JSON documents the test reads freely
async function npmRun(script: string, args: string[], env: Record<string, string>): Promise<any> {
  const { stdout } = await run('npm', ['run', '--silent', script, '--', ...args], { env: { ...process.env, ...env } });
  return JSON.parse(stdout.slice(stdout.indexOf('{')));
}

describe('the README walkthrough', () => {
  it('npm run event with the minimal request, then npm run api approves it and the execution succeeds', async () => {
    // Prepare
    const stack = await startGreenlight(dataDir);
    const env = { GREENLIGHT_URL: stack.httpUrl, GREENLIGHT_DATA_DIR: dataDir };
    const minimal = sampleEvent('stepfunctions/approval-requested-minimal');
    try {
      // Act
      const injected = await npmRun('event', ['events/stepfunctions/approval-requested-minimal.json'], env);
      const approvalId: string = injected.deliveries[0].result.approvalId;
      const decided = await npmRun(
        'api',
        ['POST', `/v1/approvals/${approvalId}/decision`, '{"decision":"approve","approver":"email:alice@example.com"}'],
        env,
      );
      const state = (await (await fetch(`${stack.standinsUrl}/__standins/state`)).json()) as {
        sfn: { executions: Record<string, { status: string }> };
      };
      // Assess
      expect(injected.deliveries[0].result.outcome).toBe('created');
      expect(decided.status).toBe('approved');
      expect(state.sfn.executions[minimal.resources[0]]?.status).toBe('SUCCEEDED');
    } finally {
      await interrupt(stack);
    }
  }, 60_000);
});
