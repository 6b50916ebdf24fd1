/**
 * Amazon SES API v2 stand-in (restJson1, `POST /v2/email/outbound-emails`): SendEmail with Simple content,
 * keeping every accepted message in `sentEmails` instead of delivering it.
 *
 * Documented behaviour implemented (Amazon SES API v2 Reference, API_SendEmail.html, sesv2-2019-09-27; the
 * SendEmailRequest / EmailContent / Message / Body / Content / Destination shapes of @aws-sdk/client-sesv2):
 * - Content is the only required member; it holds exactly one of Simple, Raw or Template. A Simple message needs
 *   Subject and Body, each Content needs Data, and the body is "an HTML version of the message, a text-only
 *   version of the message, or both". The stand-in implements Simple only (Raw / Template → BadRequestException).
 * - "The message must include at least one recipient email address. The recipient address can be a To: address,
 *   a CC: address, or a BCC: address"; an address not in the form UserName@[SubDomain.]Domain.TopLevelDomain
 *   rejects the whole message; at most 50 recipients across To, CC and BCC.
 * - FromEmailAddress "has to be verified"; a Simple message has no other place for its From, so it is required.
 * - Any invalid input answers BadRequestException (HTTP 400); success is HTTP 200 with `{ "MessageId": … }`.
 *   Injected faults default to TooManyRequestsException (429), InternalFailure (500) and ServiceUnavailable (503),
 *   the names the SES v2 reference lists for throttling and the common server errors.
 */
import { randomBytes } from 'node:crypto';
import { clientError } from '../awsError';
import { newUuid } from '../awsIds';
import type { Input } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

/** One message SendEmail accepted, as the stand-in keeps it. */
export interface SentEmail {
  messageId: string;
  /** FromEmailAddress exactly as sent (may carry a display name: `"Greenlight" <noreply@example.com>`). */
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  configurationSetName?: string;
  tags?: { Name: string; Value: string }[];
  /** ISO-8601 time (from the stand-ins' clock) when SendEmail accepted the message. */
  at: string;
}

export interface SesState {
  sentEmails: SentEmail[];
}

export const SES_ROUTES = [{ method: 'POST', path: '/v2/email/outbound-emails', operation: 'SendEmail' }] as const;

const MAX_RECIPIENTS = 50;
const BAD_REQUEST = 'BadRequestException';

export function emptySesState(): SesState {
  return { sentEmails: [] };
}

export class SesStandin extends StatefulStandin<SesState> implements StandinService {
  readonly service = 'sesv2';
  readonly wire = { protocol: 'restJson1', routes: SES_ROUTES } as const;
  readonly operations = SES_ROUTES.map((route) => route.operation);

  /** Every accepted message, oldest first (copies). */
  sentEmails(): SentEmail[] {
    return structuredClone(this.state.sentEmails);
  }

  handle(operation: string, input: Input): unknown {
    if (operation !== 'SendEmail') throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    return this.sendEmail(input);
  }

  private sendEmail(input: Input): unknown {
    const content = objectMember(input, 'Content', 'Content');
    const kinds = ['Simple', 'Raw', 'Template'].filter((kind) => content[kind] !== undefined && content[kind] !== null);
    if (kinds.length !== 1) {
      throw clientError(BAD_REQUEST, 'Content must contain exactly one of Simple, Raw or Template.');
    }
    if (kinds[0] !== 'Simple') {
      throw clientError(BAD_REQUEST, `${kinds[0]} content is not supported by the local SES stand-in; use Simple.`);
    }
    const simple = objectMember(content, 'Simple', 'Content.Simple');
    const subject = contentData(simple, 'Subject', 'Content.Simple.Subject');
    const body = objectMember(simple, 'Body', 'Content.Simple.Body');
    const text = body.Text === undefined ? undefined : contentData(body, 'Text', 'Content.Simple.Body.Text');
    const html = body.Html === undefined ? undefined : contentData(body, 'Html', 'Content.Simple.Body.Html');
    if (text === undefined && html === undefined) {
      throw clientError(BAD_REQUEST, 'Content.Simple.Body must contain Text, Html or both.');
    }

    const from = input.FromEmailAddress;
    if (typeof from !== 'string' || from.trim() === '') {
      throw clientError(BAD_REQUEST, 'Missing required parameter FromEmailAddress.');
    }
    checkAddress(from, 'FromEmailAddress');
    const destination = input.Destination ?? {};
    if (typeof destination !== 'object' || destination === null || Array.isArray(destination)) {
      throw clientError(BAD_REQUEST, 'Destination must be an object.');
    }
    const to = addressList(destination as Input, 'ToAddresses');
    const cc = addressList(destination as Input, 'CcAddresses');
    const bcc = addressList(destination as Input, 'BccAddresses');
    const recipients = to.length + cc.length + bcc.length;
    if (recipients === 0) {
      throw clientError(
        BAD_REQUEST,
        'Missing required parameter Destination: the message needs at least one recipient.',
      );
    }
    if (recipients > MAX_RECIPIENTS) {
      throw clientError(BAD_REQUEST, `Recipient count exceeds ${MAX_RECIPIENTS}.`);
    }
    const replyTo = addressList(input, 'ReplyToAddresses');

    const sent: SentEmail = {
      messageId: newMessageId(),
      from,
      to,
      cc,
      bcc,
      replyTo,
      subject,
      text,
      html,
      configurationSetName: typeof input.ConfigurationSetName === 'string' ? input.ConfigurationSetName : undefined,
      tags: Array.isArray(input.EmailTags) ? (input.EmailTags as SentEmail['tags']) : undefined,
      at: this.now().toISOString(),
    };
    this.state.sentEmails.push(sent);
    this.changed();
    return { MessageId: sent.messageId };
  }
}

function objectMember(parent: Input, name: string, path: string): Input {
  const value = parent[name];
  if (value === undefined || value === null) throw clientError(BAD_REQUEST, `Missing required parameter ${path}.`);
  if (typeof value !== 'object' || Array.isArray(value)) throw clientError(BAD_REQUEST, `${path} must be an object.`);
  return value as Input;
}

/** The Data of a Content member (Subject, Text, Html): required, a string. */
function contentData(parent: Input, name: string, path: string): string {
  const data = objectMember(parent, name, path).Data;
  if (typeof data !== 'string') throw clientError(BAD_REQUEST, `Missing required parameter ${path}.Data.`);
  return data;
}

function addressList(parent: Input, name: string): string[] {
  const value = parent[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw clientError(BAD_REQUEST, `${name} must be a list of email addresses.`);
  }
  for (const address of value as string[]) checkAddress(address, name);
  return [...(value as string[])];
}

/** UserName@[SubDomain.]Domain.TopLevelDomain, optionally inside `Display Name <…>`. */
function checkAddress(address: string, member: string): void {
  const bare = /<([^<>]*)>\s*$/.exec(address)?.[1] ?? address;
  if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$/.test(bare.trim())) {
    throw clientError(BAD_REQUEST, `Illegal address in ${member}: ${address}`);
  }
}

/** Shaped like SES message ids: `0100018c…-<uuid>-000000`. */
function newMessageId(): string {
  return `0100${randomBytes(6).toString('hex')}-${newUuid()}-000000`;
}
