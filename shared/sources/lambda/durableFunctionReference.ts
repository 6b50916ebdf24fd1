/** What a Lambda durable function approval keeps to answer its callback, and the id shapes it accepts. */
import { ACCOUNT, PARTITION, REGION } from '../arns';

export type DurableFunctionReference = {
  kind: 'lambda';
  /** Secret: whoever holds it can answer the callback (SendDurableExecutionCallbackSuccess takes nothing else). */
  callbackId: string;
  /** Said by the request, not by AWS: used to probe, and to match the execution's status-change events. */
  durableExecutionArn: string;
};

/**
 * CallbackId: "Minimum length of 1. Maximum length of 1024. Pattern: `[A-Za-z0-9+/]+={0,2}`"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_SendDurableExecutionCallbackSuccess.html). Opaque otherwise.
 */
export const CALLBACK_ID = /^[A-Za-z0-9+/]+={0,2}$/;
export const MAX_CALLBACK_ID_CHARS = 1024;

/**
 * DurableExecutionArn (1–1024 characters; https://docs.aws.amazon.com/lambda/latest/api/API_GetDurableExecution.html):
 * `arn:…:lambda:<region>:<account>:function:<name>:<version | $LATEST | $LATEST.PUBLISHED>/durable-execution/<name>/<id>`.
 * Its name and version segments need not match the execution's own (the documented sample differs): read only the
 * account and the function name from it.
 */
export const DURABLE_EXECUTION_ARN = new RegExp(
  `^${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:[a-zA-Z0-9_-]+:(?:\\$LATEST(?:\\.PUBLISHED)?|[0-9]+)/durable-execution/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+$`,
);
export const MAX_DURABLE_EXECUTION_ARN_CHARS = 1024;

/** The account and function name of a durable execution ARN (one that matches DURABLE_EXECUTION_ARN). */
export function durableExecutionParts(arn: string): { account: string; functionName: string } {
  const [, , , , account = '', , functionName = ''] = arn.split(':');
  return { account, functionName };
}
