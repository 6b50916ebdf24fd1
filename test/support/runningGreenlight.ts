/**
 * `npm start` run as a child process, the way a newcomer runs it (the same script, its own data folder, free ports),
 * read back from what it prints.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface RunningGreenlight {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  approvals: Array<{ source: string; id: string }>;
  httpUrl: string;
  standinsUrl: string;
  reviewLinks: string[];
  startedInMs: number;
}

export async function startGreenlight(dataDir: string): Promise<RunningGreenlight> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: {
      ...process.env,
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_PORT: '0',
      GREENLIGHT_STANDINS_PORT: '0',
      GREENLIGHT_DYNAMODB_PORT: '0',
      GREENLIGHT_SLACK_PORT: '0',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no summary within 15 s:\n${output}`)), 15_000);
    const check = () => {
      if (output.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  const approvals = [
    ...output.matchAll(/^ {2}(stepfunctions|imagebuilder|ssm|codepipeline)\s+(apr_[0-9a-f]{32})\s+pending/gm),
  ].map((match) => ({ source: match[1] as string, id: match[2] as string }));
  const httpUrl = /Open approvals:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1] ?? '';
  const standinsUrl = /AWS stand-ins state:\s+(http:\/\/\S+?)\/__standins/.exec(output)?.[1] ?? '';
  const reviewLinks = [...output.matchAll(/review as \S+: (http\S+)/g)].map((match) => match[1] as string);
  return {
    child,
    output: () => output,
    approvals,
    httpUrl,
    standinsUrl,
    reviewLinks,
    startedInMs: Date.now() - startedAt,
  };
}

export async function interrupt(stack: RunningGreenlight): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => stack.child.once('exit', (code) => resolve(code)));
  stack.child.kill('SIGINT');
  return exited;
}
