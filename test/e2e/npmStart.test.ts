/**
 * `npm start` as a newcomer runs it: a fresh data folder shows four pending approvals (one per source) within 15 s;
 * Ctrl-C stops cleanly; starting again shows the same four, not eight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interrupt, startGreenlight } from '../support/runningGreenlight';

const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('shows one pending approval per source with a review link, keeps them across restarts, and approves end to end', async () => {
    // Act: first start
    const first = await startGreenlight(dataDir);
    const listed = (await (await fetch(`${first.httpUrl}/local/approvals`)).json()) as { items: Array<{ id: string }> };
    const firstExit = await interrupt(first);
    // Act: second start on the same data, then approve the Step Functions item from its printed review link
    const second = await startGreenlight(dataDir);
    const link = new URL(second.reviewLinks[0] ?? '');
    const page = await fetch(link);
    const decided = await fetch(`${second.httpUrl}${link.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: second.httpUrl },
      body: new URLSearchParams({ t: link.searchParams.get('t') ?? '', decision: 'approve' }).toString(),
    });
    const calls = (await (await fetch(`${second.standinsUrl}/__standins/calls`)).json()) as Array<{
      operation: string;
    }>;
    const secondExit = await interrupt(second);
    // Assess
    expect(first.startedInMs).toBeLessThan(15_000);
    expect(first.output()).toContain('first start: seeded one waiting workflow per source');
    expect(first.approvals.map((approval) => approval.source).sort()).toEqual([
      'codepipeline',
      'imagebuilder',
      'ssm',
      'stepfunctions',
    ]);
    expect(listed.items.map((item) => item.id).sort()).toEqual(first.approvals.map((approval) => approval.id).sort());
    expect(first.output()).toContain('4 pending approvals');
    expect(firstExit).toBe(0);
    expect(first.output()).toContain('stopped.');
    expect(second.output()).toContain('data kept from the last run');
    expect(second.approvals).toEqual(first.approvals);
    expect(second.output()).toContain('4 pending approvals');
    expect(second.reviewLinks).toHaveLength(4);
    expect(page.status).toBe(200);
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('Approved. The workflow continues.');
    expect(calls.filter((call) => call.operation === 'SendTaskSuccess')).toHaveLength(1);
    expect(secondExit).toBe(0);
  }, 60_000);
});
