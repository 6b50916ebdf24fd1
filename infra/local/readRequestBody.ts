import type { IncomingMessage } from 'node:http';

/** The whole request body, refused (with the caller's own error) as soon as it grows past `limitBytes`. */
export async function readRequestBody(
  request: IncomingMessage,
  limitBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
