/**
 * `npm run event -- <file.json> [--bus default|custom|decisions]`: hands an event to the running local stack, as EventBridge
 * would (or, for a Step Functions lambda:invoke payload, as a direct invocation of capture), and prints what happened.
 */
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--'));
  const busIndex = args.indexOf('--bus');
  const bus = busIndex >= 0 ? args[busIndex + 1] : undefined;
  if (!file) {
    console.error('usage: npm run event -- <event.json> [--bus default|custom|decisions]');
    process.exit(2);
  }
  const base = process.env.GREENLIGHT_URL ?? `http://127.0.0.1:${process.env.GREENLIGHT_PORT ?? 3000}`;
  const url = `${base}/local/events${bus ? `?bus=${encodeURIComponent(bus)}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: readFileSync(file),
      headers: { 'content-type': 'application/json' },
    });
  } catch {
    console.error(`Greenlight is not answering at ${base}: start it with \`npm start\` first.`);
    process.exit(1);
  }
  console.log(JSON.stringify(await response.json(), null, 2));
  process.exit(response.ok ? 0 : 1);
}

void main();
