export type ServiceName = 'sfn' | 'ssm' | 'imagebuilder' | 'eventbridge' | 'sesv2' | 'lambda' | 'codepipeline';

/** One request that reached the stand-ins over HTTP, as the SDK sent it and as it was answered. */
export interface RecordedCall {
  service: ServiceName;
  operation: string;
  input: unknown;
  output?: unknown;
  error?: { name: string; message: string };
  /** ISO-8601 time (from the stand-ins' clock) when the call arrived. */
  at: string;
}

/** The wire-call log: every request in arrival order. Not persisted across restarts. */
export class CallLog {
  readonly calls: RecordedCall[] = [];

  record(call: RecordedCall): RecordedCall {
    this.calls.push(call);
    return call;
  }

  callsTo(service: ServiceName, operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.service === service && call.operation === operation);
  }

  clear(): void {
    this.calls.length = 0;
  }
}
