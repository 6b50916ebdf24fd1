import { randomBytes, randomUUID } from 'node:crypto';

/** Every stand-in resource lives in this region and account (the documentation's example account). */
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '111122223333';

export function newUuid(): string {
  return randomUUID();
}

/**
 * An opaque task token shaped like Step Functions' own: a long base64 string (real ones are several
 * hundred characters and contain `+`, `/` and `=`), so URL-encoding and length bugs show up locally.
 */
export function newTaskToken(): string {
  return `AQCEAAAAKgAAAAMAAAAAAAAAA${randomBytes(480).toString('base64')}`;
}

/** Lower-case, dash-separated resource name as Image Builder uses in ARNs. */
export function arnSafeName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-_]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'image'
  );
}
