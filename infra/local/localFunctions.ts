/**
 * Runs the functions declared in serverless.yml in this process, the way Lambda would call them: the same handler
 * module, a Lambda-like context, and for asynchronous (EventBridge) invocations the function's own
 * `maximumRetryAttempts`, after which the event is dead-lettered (here: a JSON-lines file).
 */

import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { parseCloudFormationYaml } from '../tableDefinition';
import { lambdaContext } from './lambdaContext';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

interface FunctionDeclaration {
  name: string;
  handler: string;
  maximumRetryAttempts: number;
}

export interface AsyncInvocationResult {
  functionName: string;
  ok: boolean;
  attempts: number;
  result?: unknown;
  error?: { name: string; message: string };
}

/** Lambda retries a failed asynchronous invocation twice unless the function says otherwise. */
const LAMBDA_DEFAULT_ASYNC_RETRIES = 2;

function readFunctionDeclarations(serverlessYmlPath: string): Map<string, FunctionDeclaration> {
  const config = parseCloudFormationYaml(readFileSync(serverlessYmlPath, 'utf8')) as {
    functions?: Record<string, { handler?: string; maximumRetryAttempts?: number }>;
  };
  const declarations = new Map<string, FunctionDeclaration>();
  for (const [name, fn] of Object.entries(config.functions ?? {})) {
    if (typeof fn.handler !== 'string') continue;
    declarations.set(name, {
      name,
      handler: fn.handler,
      maximumRetryAttempts: fn.maximumRetryAttempts ?? LAMBDA_DEFAULT_ASYNC_RETRIES,
    });
  }
  return declarations;
}

export class LocalFunctions {
  private readonly declarations: Map<string, FunctionDeclaration>;
  private readonly handlers = new Map<string, Promise<LambdaHandler>>();
  /** Events whose asynchronous invocation failed after every retry (also appended to `deadLetterPath`). */
  readonly deadLetters: Array<{
    at: string;
    functionName: string;
    error: { name: string; message: string };
    event: unknown;
  }> = [];

  constructor(private readonly options: { serverlessYmlPath?: string; deadLetterPath?: string } = {}) {
    this.declarations = readFunctionDeclarations(options.serverlessYmlPath ?? 'serverless.yml');
  }

  /** A synchronous invocation (RequestResponse): errors reach the caller, as Step Functions' lambda:invoke sees them. */
  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const handler = await this.handlerOf(functionName);
    return handler(event, lambdaContext(`greenlight-local-${functionName}`));
  }

  /** An asynchronous invocation (Event), as EventBridge makes: retried, then dead-lettered. */
  async invokeAsync(functionName: string, event: unknown): Promise<AsyncInvocationResult> {
    const declaration = this.declarationOf(functionName);
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= declaration.maximumRetryAttempts + 1; attempt++) {
      try {
        const result = await this.invoke(functionName, event);
        return { functionName, ok: true, attempts: attempt, result };
      } catch (error) {
        lastError = error instanceof Error ? error : new Error(String(error));
      }
    }
    const failure = { name: lastError?.name ?? 'Error', message: lastError?.message ?? 'unknown error' };
    const deadLetter = { at: new Date().toISOString(), functionName, error: failure, event };
    this.deadLetters.push(deadLetter);
    if (this.options.deadLetterPath) await appendFile(this.options.deadLetterPath, `${JSON.stringify(deadLetter)}\n`);
    return { functionName, ok: false, attempts: declaration.maximumRetryAttempts + 1, error: failure };
  }

  private declarationOf(functionName: string): FunctionDeclaration {
    const declaration = this.declarations.get(functionName);
    if (!declaration) throw new Error(`serverless.yml declares no function ${functionName}`);
    return declaration;
  }

  private handlerOf(functionName: string): Promise<LambdaHandler> {
    let handler = this.handlers.get(functionName);
    if (!handler) {
      const { handler: path } = this.declarationOf(functionName);
      const exportName = path.slice(path.lastIndexOf('.') + 1);
      const modulePath = resolve(`${path.slice(0, path.lastIndexOf('.'))}.ts`);
      handler = import(pathToFileURL(modulePath).href).then((module) => module[exportName] as LambdaHandler);
      this.handlers.set(functionName, handler);
    }
    return handler;
  }
}
