/**
 * Systems Manager stand-in (awsJson1_1, `X-Amz-Target: AmazonSSM.<Operation>`): Automation executions
 * parked in an `aws:approve` step, and Parameter Store reads.
 *
 * Documented behaviour implemented (AWS Systems Manager API Reference, ssm-2014-11-06;
 * shared/reference/ssm-SendAutomationSignal.api.txt):
 * - SendAutomationSignal (API_SendAutomationSignal.html): AutomationExecutionId is exactly 36 characters,
 *   SignalType one of Approve | Reject | StartStep | StopStep | Resume, Payload a map of ≤ 10 strings of 1–512
 *   characters per key (else ValidationException); unknown id → AutomationExecutionNotFoundException; "the
 *   signal is not valid for the current Automation execution" (not waiting, or not Approve/Reject for an
 *   aws:approve step) → InvalidAutomationSignalException. Success is HTTP 200 with an empty result.
 * - aws:approve (userguide/automation-action-approve.html): the automation resumes "after the required number
 *   of approvals is reached" (MinRequiredApprovals, default 1); on timeout "the step and the automation stop
 *   running and return a status of Timed Out". Simplification: the runbook ends at the approval step, so
 *   approval → step and execution Success; a rejection fails the step and (onFailure: Abort) the execution.
 * - GetAutomationExecution (API_GetAutomationExecution.html, API_StepExecution.html): StepExecution.Inputs is
 *   a map of string to string holding JSON-encoded values, e.g. `"InstanceIds": "[\"i-0cb9…\"]"` in the
 *   documented CLI example; Outputs is a map of string to list of strings.
 * - GetParameter (API_GetParameter.html): Name may be a name, `name:version` or an ARN; WithDecryption returns
 *   the plain value of a SecureString (without it the value stays encrypted); unknown → ParameterNotFound.
 */
import { createHash } from 'node:crypto';
import { clientError } from '../awsError';
import { ACCOUNT_ID, newUuid, REGION } from '../awsIds';
import { epochSeconds, type Input, stringField } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

export type AutomationStatus = 'Waiting' | 'Success' | 'Failed' | 'TimedOut';

export interface ApproverDecision {
  approver: string;
  decision: 'Approve' | 'Reject';
  comment?: string;
  at: string;
}

export interface AutomationRecord {
  automationExecutionId: string;
  documentName: string;
  status: AutomationStatus;
  executionStartTime: string;
  executionEndTime?: string;
  failureMessage?: string;
  step: {
    stepName: string;
    stepExecutionId: string;
    status: AutomationStatus;
    approvers: string[];
    message?: string;
    minRequiredApprovals: number;
    notificationArn?: string;
    timeoutSeconds: number;
    decisions: ApproverDecision[];
  };
}

export interface ParameterRecord {
  name: string;
  type: 'String' | 'SecureString' | 'StringList';
  value: string;
  version: number;
  lastModifiedDate: string;
}

export interface SsmState {
  automations: Record<string, AutomationRecord>;
  parameters: Record<string, ParameterRecord>;
}

export interface WaitingAutomation {
  automationExecutionId: string;
  stepName: string;
  stepExecutionId: string;
}

const SIGNAL_TYPES = ['Approve', 'Reject', 'StartStep', 'StopStep', 'Resume'];
const DEFAULT_APPROVE_TIMEOUT_SECONDS = 604_800;

export function emptySsmState(): SsmState {
  return { automations: {}, parameters: {} };
}

export class SsmStandin extends StatefulStandin<SsmState> implements StandinService {
  readonly service = 'ssm';
  readonly wire = { protocol: 'awsJson1_1', targetPrefix: 'AmazonSSM' } as const;
  readonly operations = ['SendAutomationSignal', 'GetAutomationExecution', 'GetParameter'] as const;

  /** Seeds an Automation execution that waits in an aws:approve step. */
  startWaitingAutomation(options: {
    documentName: string;
    approvers: string[];
    message?: string;
    minRequiredApprovals?: number;
    notificationArn?: string;
    stepName?: string;
    timeoutSeconds?: number;
    /** Fixed ids, e.g. those of a sample event; new ones otherwise. */
    automationExecutionId?: string;
    stepExecutionId?: string;
  }): WaitingAutomation {
    const record: AutomationRecord = {
      automationExecutionId: options.automationExecutionId ?? newUuid(),
      documentName: options.documentName,
      status: 'Waiting',
      executionStartTime: this.now().toISOString(),
      step: {
        stepName: options.stepName ?? 'approve',
        stepExecutionId: options.stepExecutionId ?? newUuid(),
        status: 'Waiting',
        approvers: options.approvers,
        message: options.message,
        minRequiredApprovals: options.minRequiredApprovals ?? 1,
        notificationArn: options.notificationArn,
        timeoutSeconds: options.timeoutSeconds ?? DEFAULT_APPROVE_TIMEOUT_SECONDS,
        decisions: [],
      },
    };
    this.state.automations[record.automationExecutionId] = record;
    this.changed();
    return {
      automationExecutionId: record.automationExecutionId,
      stepName: record.step.stepName,
      stepExecutionId: record.step.stepExecutionId,
    };
  }

  /** The execution as the stand-in holds it (undefined when unknown). */
  get(automationExecutionId: string): AutomationRecord | undefined {
    const record = this.state.automations[automationExecutionId];
    if (record) this.expireIfDue(record);
    return record ? structuredClone(record) : undefined;
  }

  /** The parameter's current value (undefined when unknown). */
  parameterValue(name: string): string | undefined {
    return this.state.parameters[name]?.value;
  }

  /** Seeds a Parameter Store parameter (SecureString by default); each put raises its version. */
  putParameter(name: string, value: string, type: ParameterRecord['type'] = 'SecureString'): void {
    const version = (this.state.parameters[name]?.version ?? 0) + 1;
    this.state.parameters[name] = { name, type, value, version, lastModifiedDate: this.now().toISOString() };
    this.changed();
  }

  handle(operation: string, input: Input, caller = 'unknown'): unknown {
    switch (operation) {
      case 'SendAutomationSignal':
        return this.sendAutomationSignal(input, caller);
      case 'GetAutomationExecution':
        return { AutomationExecution: this.describe(this.existingAutomation(input)) };
      case 'GetParameter':
        return this.getParameter(input);
      default:
        throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private sendAutomationSignal(input: Input, caller: string): unknown {
    const signalType = stringField(input, 'SignalType', { required: true, errorName: 'ValidationException' });
    if (!SIGNAL_TYPES.includes(signalType)) {
      throw clientError('ValidationException', `1 validation error detected: Value '${signalType}' at 'signalType'`);
    }
    const comment = readPayload(input.Payload).Comment?.join('\n');
    const record = this.existingAutomation(input);
    if (record.status !== 'Waiting') {
      throw clientError(
        'InvalidAutomationSignalException',
        `Automation execution ${record.automationExecutionId} is not waiting (status ${record.status}).`,
      );
    }
    if (signalType !== 'Approve' && signalType !== 'Reject') {
      throw clientError(
        'InvalidAutomationSignalException',
        `Signal ${signalType} is not valid for step ${record.step.stepName} (aws:approve).`,
      );
    }
    const at = this.now().toISOString();
    record.step.decisions.push({ approver: caller, decision: signalType, comment, at });
    const approvals = record.step.decisions.filter((decision) => decision.decision === 'Approve').length;
    if (signalType === 'Reject') {
      this.end(record, 'Failed', `Step ${record.step.stepName} was rejected by ${caller}.`);
    } else if (approvals >= record.step.minRequiredApprovals) {
      this.end(record, 'Success');
    }
    this.changed();
    return {};
  }

  private existingAutomation(input: Input): AutomationRecord {
    const id = stringField(input, 'AutomationExecutionId', {
      required: true,
      min: 36,
      max: 36,
      errorName: 'ValidationException',
    });
    const record = this.state.automations[id];
    if (!record) throw clientError('AutomationExecutionNotFoundException', `Automation execution ${id} not found.`);
    this.expireIfDue(record);
    return record;
  }

  private expireIfDue(record: AutomationRecord): void {
    if (record.status !== 'Waiting') return;
    const deadline = Date.parse(record.executionStartTime) + record.step.timeoutSeconds * 1000;
    if (this.now().getTime() < deadline) return;
    this.end(record, 'TimedOut', `Step ${record.step.stepName} timed out.`, new Date(deadline).toISOString());
    this.changed();
  }

  private end(record: AutomationRecord, status: AutomationStatus, failureMessage?: string, at?: string): void {
    record.status = status;
    record.step.status = status;
    record.executionEndTime = at ?? this.now().toISOString();
    record.failureMessage = failureMessage;
  }

  private describe(record: AutomationRecord): unknown {
    const { step } = record;
    const ended = record.status !== 'Waiting';
    const approvalStatus = record.status === 'Success' ? 'Approved' : record.status === 'Failed' ? 'Rejected' : '';
    return {
      AutomationExecutionId: record.automationExecutionId,
      DocumentName: record.documentName,
      DocumentVersion: '1',
      ExecutionStartTime: epochSeconds(record.executionStartTime),
      ExecutionEndTime: epochSeconds(record.executionEndTime),
      AutomationExecutionStatus: record.status,
      StepExecutions: [
        {
          StepName: step.stepName,
          Action: 'aws:approve',
          TimeoutSeconds: step.timeoutSeconds,
          OnFailure: 'Abort',
          MaxAttempts: 1,
          ExecutionStartTime: epochSeconds(record.executionStartTime),
          ExecutionEndTime: epochSeconds(record.executionEndTime),
          StepStatus: step.status,
          Inputs: {
            Approvers: JSON.stringify(step.approvers),
            Message: JSON.stringify(step.message ?? ''),
            MinRequiredApprovals: JSON.stringify(step.minRequiredApprovals),
            ...(step.notificationArn ? { NotificationArn: JSON.stringify(step.notificationArn) } : {}),
          },
          Outputs: ended
            ? {
                ApprovalStatus: [approvalStatus || record.status],
                ApproverDecisions: step.decisions.map((decision) =>
                  JSON.stringify({
                    Approver: decision.approver,
                    Decision: decision.decision,
                    ApprovalDecisionTime: decision.at,
                    Comment: decision.comment,
                  }),
                ),
              }
            : undefined,
          FailureMessage: record.failureMessage,
          StepExecutionId: step.stepExecutionId,
          OverriddenParameters: {},
          IsEnd: true,
          IsCritical: true,
        },
      ],
      StepExecutionsTruncated: false,
      Parameters: {},
      Outputs: {},
      FailureMessage: record.failureMessage,
      Mode: 'Auto',
      ExecutedBy: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/AutomationRole/${record.automationExecutionId}`,
      CurrentStepName: ended ? undefined : step.stepName,
      CurrentAction: ended ? undefined : 'aws:approve',
    };
  }

  private getParameter(input: Input): unknown {
    const requested = stringField(input, 'Name', {
      required: true,
      min: 1,
      max: 2048,
      errorName: 'ValidationException',
    });
    const [names, selector] = splitSelector(requested);
    const parameter = names.map((name) => this.state.parameters[name]).find((found) => found !== undefined);
    if (!parameter) throw clientError('ParameterNotFound', `Parameter ${requested} not found.`);
    if (selector !== undefined && selector !== String(parameter.version)) {
      throw clientError('ParameterVersionNotFound', `Parameter ${requested} not found.`);
    }
    const encrypted = parameter.type === 'SecureString' && input.WithDecryption !== true;
    return {
      Parameter: {
        Name: parameter.name,
        Type: parameter.type,
        Value: encrypted ? fakeCiphertext(parameter.value) : parameter.value,
        Version: parameter.version,
        Selector: selector === undefined ? undefined : `:${selector}`,
        LastModifiedDate: epochSeconds(parameter.lastModifiedDate),
        ARN: parameterArn(parameter.name),
        DataType: 'text',
      },
    };
  }
}

function readPayload(payload: unknown): Record<string, string[]> {
  if (payload === undefined || payload === null) return {};
  const invalid = () => clientError('ValidationException', '1 validation error detected: Value at payload is invalid');
  if (typeof payload !== 'object' || Array.isArray(payload)) throw invalid();
  for (const [key, values] of Object.entries(payload)) {
    if (key.length < 1 || key.length > 50 || !Array.isArray(values) || values.length > 10) throw invalid();
    if (values.some((value) => typeof value !== 'string' || value.length < 1 || value.length > 512)) throw invalid();
  }
  return payload as Record<string, string[]>;
}

/**
 * Splits `name:version` and strips an ARN prefix. An ARN's `parameter/a/b` may name `/a/b` or `a/b`, so the
 * candidates are returned in that order.
 */
function splitSelector(requested: string): [string[], string | undefined] {
  const arn = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter(\/.*)$/.exec(requested);
  const body = arn?.[1] ?? requested;
  const bodyColon = body.lastIndexOf(':');
  const [name, selector] = bodyColon > 0 ? [body.slice(0, bodyColon), body.slice(bodyColon + 1)] : [body, undefined];
  return [arn ? [name, name.slice(1)] : [name], selector];
}

function parameterArn(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** A stable base64 stand-in for the KMS ciphertext a SecureString returns without WithDecryption. */
function fakeCiphertext(value: string): string {
  return `AQICAH${createHash('sha256').update(value).digest('base64')}`;
}
