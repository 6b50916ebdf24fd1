/** The resumer of every source Greenlight answers. Adding a source = one resumer file + one line here. */
import type { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SourceKind } from '../domain/approval';
import { imageBuilderResumer } from './imageBuilderResumer';
import type { SourceResumer } from './sourceResumer';
import { ssmAutomationResumer } from './ssmAutomationResumer';
import { stepFunctionsResumer } from './stepFunctionsResumer';

/** One SDK client per service, created once at module scope by the caller (standard configuration chain). */
export interface SourceResumerClients {
  sfn: SFNClient;
  imagebuilder: ImagebuilderClient;
  ssm: SSMClient;
}

export function createSourceResumers(clients: SourceResumerClients): Record<SourceKind, SourceResumer> {
  return {
    stepfunctions: stepFunctionsResumer(clients.sfn),
    imagebuilder: imageBuilderResumer(clients.imagebuilder),
    ssm: ssmAutomationResumer(clients.ssm),
  };
}
