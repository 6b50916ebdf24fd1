/** Every source Greenlight captures from. Adding a source = one adapter file + one line here. */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { imageBuilderSource } from './imageBuilderSource';
import { type SsmAutomationSourceOptions, ssmAutomationSource } from './ssmAutomationSource';
import { stepFunctionsSource } from './stepFunctionsSource';
import type { WaitingSource } from './waitingSource';

export interface WaitingSourceClients {
  ssm: SSMClient;
}

export function createWaitingSources(
  clients: WaitingSourceClients,
  options: SsmAutomationSourceOptions = {},
): WaitingSource[] {
  return [stepFunctionsSource(), imageBuilderSource(), ssmAutomationSource(clients.ssm, options)];
}
