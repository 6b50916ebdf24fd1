import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BadRequestException,
  SESv2Client,
  SendEmailCommand,
  type SendEmailCommandInput,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsStandins, startAwsStandins } from '../../infra/local/standins';

const credentials = { accessKeyId: 'AKIDSTANDINTEST', secretAccessKey: 'not-a-secret' };
const clock = new Date('2025-03-04T12:00:00.000Z');
let standins: AwsStandins;
let stateDir: string | undefined;

const ses = (maxAttempts?: number) =>
  new SESv2Client({ endpoint: standins.url, region: 'us-east-1', credentials, maxAttempts });

function email(overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput {
  return {
    FromEmailAddress: '"Greenlight" <greenlight@example.com>',
    Destination: { ToAddresses: ['alice@example.com'], CcAddresses: ['bob@example.com'] },
    Content: {
      Simple: {
        Subject: { Data: 'Approval needed: Deploy', Charset: 'UTF-8' },
        Body: {
          Text: { Data: 'Please review https://greenlight.example/r/abc' },
          Html: { Data: '<p>Please <a href="https://greenlight.example/r/abc">review</a></p>' },
        },
      },
    },
    ...overrides,
  };
}

beforeEach(async () => {
  standins = await startAwsStandins({ now: () => clock });
});

afterEach(async () => {
  await standins.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

describe('SES v2 stand-in', () => {
  it('SendEmail answers a MessageId and keeps the message in sentEmails', async () => {
    // Act
    const result = await ses(1).send(new SendEmailCommand(email()));
    // Assess
    expect(result.MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(standins.ses.sentEmails()).toEqual([
      {
        messageId: result.MessageId,
        from: '"Greenlight" <greenlight@example.com>',
        to: ['alice@example.com'],
        cc: ['bob@example.com'],
        bcc: [],
        replyTo: [],
        subject: 'Approval needed: Deploy',
        text: 'Please review https://greenlight.example/r/abc',
        html: '<p>Please <a href="https://greenlight.example/r/abc">review</a></p>',
        at: clock.toISOString(),
      },
    ]);
    expect(standins.callsTo('sesv2', 'SendEmail')).toHaveLength(1);
  });

  it('rejects a message without From, without recipients, with a bad address or without a body', async () => {
    // Prepare
    const client = ses(1);
    const noBody = email({
      Content: { Simple: { Subject: { Data: 's' }, Body: {} } },
    });
    // Act + Assess
    await expect(client.send(new SendEmailCommand(email({ FromEmailAddress: undefined })))).rejects.toBeInstanceOf(
      BadRequestException,
    );
    await expect(client.send(new SendEmailCommand(email({ Destination: undefined })))).rejects.toBeInstanceOf(
      BadRequestException,
    );
    await expect(
      client.send(new SendEmailCommand(email({ Destination: { ToAddresses: ['not-an-address'] } }))),
    ).rejects.toBeInstanceOf(BadRequestException);
    const error = await client.send(new SendEmailCommand(noBody)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, message: expect.stringContaining('Body') });
    expect(standins.ses.sentEmails()).toEqual([]);
  });

  it('the SDK sees an injected 429 as TooManyRequestsException with one attempt, and nothing is sent', async () => {
    // Prepare
    standins.failNext('sesv2', 'SendEmail', { status: 429 });
    // Act
    const error = await ses(1)
      .send(new SendEmailCommand(email()))
      .catch((caught: unknown) => caught);
    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 429 } });
    expect(standins.ses.sentEmails()).toEqual([]);
  });

  it('the default retry strategy (3 attempts) rides over a 429 and a 500 and sends once', async () => {
    // Prepare
    standins.failNext('sesv2', 'SendEmail', { status: 429 });
    standins.failNext('sesv2', 'SendEmail', { status: 500 });
    // Act
    const result = await ses().send(new SendEmailCommand(email()));
    // Assess
    const calls = standins.callsTo('sesv2', 'SendEmail');
    expect(calls.map((call) => call.error?.name)).toEqual(['TooManyRequestsException', 'InternalFailure', undefined]);
    expect(result.$metadata.attempts).toBe(3);
    expect(standins.ses.sentEmails().map((sent) => sent.messageId)).toEqual([result.MessageId]);
  });

  it('works through AWS_ENDPOINT_URL_SESV2 and keeps sent emails across a restart with statePath', async () => {
    // Prepare
    await standins.close();
    stateDir = mkdtempSync(join(tmpdir(), 'ses-standin-'));
    const statePath = join(stateDir, 'state.json');
    standins = await startAwsStandins({ statePath, now: () => clock });
    const saved = process.env.AWS_ENDPOINT_URL_SESV2;
    process.env.AWS_ENDPOINT_URL_SESV2 = standins.url;
    let messageId: string | undefined;
    try {
      const client = new SESv2Client({ region: 'us-east-1', credentials, maxAttempts: 1 });
      messageId = (await client.send(new SendEmailCommand(email()))).MessageId;
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SESV2;
      else process.env.AWS_ENDPOINT_URL_SESV2 = saved;
    }
    // Act
    await standins.close();
    standins = await startAwsStandins({ statePath, now: () => clock });
    // Assess
    expect(standins.ses.sentEmails().map((sent) => sent.messageId)).toEqual([messageId]);
    standins.reset();
    expect(standins.ses.sentEmails()).toEqual([]);
  });
});
