/**
 * Every source Greenlight answers, and the registries built from them. Adding a source: its folder, its kind in
 * shared/domain/sourceKind.ts and its line here (the typecheck asks for it) — see CONTRIBUTING.md.
 */

import { MalformedEventError } from '../app/errors';
import type { SourceProbe, SourceResumer, WaitingSource, WorkflowEnded } from '../app/sourcePorts';
import type { SourceKind } from '../domain/approval';
import { codePipelineSource } from './codepipeline/codePipelineSource';
import { imageBuilderSource } from './imagebuilder/imageBuilderSource';
import { durableFunctionSource } from './lambda/durableFunctionSource';
import type { CaptureOptions, SourceClientConfig, SourceDescriptor } from './sourceDescriptor';
import { ssmAutomationSource } from './ssm/ssmAutomationSource';
import { stepFunctionsSource } from './stepfunctions/stepFunctionsSource';

export const SOURCES = {
  stepfunctions: stepFunctionsSource,
  imagebuilder: imageBuilderSource,
  ssm: ssmAutomationSource,
  lambda: durableFunctionSource,
  codepipeline: codePipelineSource,
} as const satisfies { [K in SourceKind]: SourceDescriptor<K> };

type Sources = typeof SOURCES;
/** One SDK client per source, made once per cold start. */
export type SourceClients = { [K in SourceKind]: ReturnType<Sources[K]['createClient']> };

/** Each descriptor, with its client type erased: the registries pair a descriptor only with its own client. */
// biome-ignore lint/suspicious/noExplicitAny: a descriptor is only ever called with the client it created
const descriptors = Object.values(SOURCES) as SourceDescriptor<SourceKind, any>[];

function byKind<T>(make: (descriptor: (typeof descriptors)[number]) => T): Record<SourceKind, T> {
  return Object.fromEntries(descriptors.map((descriptor) => [descriptor.kind, make(descriptor)])) as Record<
    SourceKind,
    T
  >;
}

/** The standard configuration chain (region, credentials, `AWS_ENDPOINT_URL_*`) unless `config` says otherwise. */
export function createSourceClients(config?: SourceClientConfig): SourceClients {
  return byKind((descriptor) => descriptor.createClient(config)) as SourceClients;
}

export function destroySourceClients(clients: SourceClients): void {
  for (const client of Object.values(clients)) client.destroy();
}

export function createWaitingSources(clients: SourceClients, options: CaptureOptions = {}): WaitingSource[] {
  return descriptors.map((descriptor) => descriptor.waitingSource(clients[descriptor.kind], options));
}

export function createSourceResumers(clients: SourceClients): Record<SourceKind, SourceResumer> {
  return byKind((descriptor) => descriptor.resumer(clients[descriptor.kind]));
}

export function createSourceProbes(clients: SourceClients): Record<SourceKind, SourceProbe> {
  return byKind((descriptor) => descriptor.probe(clients[descriptor.kind]));
}

/** Whether the event says some source's workflow ended. */
export function isWorkflowEndedEvent(event: unknown): boolean {
  return descriptors.some((descriptor) => descriptor.endings.recognises(event));
}

/** The ended workflow an event reports; MalformedEventError when it is not such an event. */
export function workflowEndedFrom(event: unknown): WorkflowEnded {
  const descriptor = descriptors.find((candidate) => candidate.endings.recognises(event));
  if (descriptor === undefined) {
    throw new MalformedEventError(undefined, 'not an event that reports a workflow ending');
  }
  return descriptor.endings.read(event);
}
