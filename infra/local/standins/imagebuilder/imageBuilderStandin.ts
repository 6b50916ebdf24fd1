/**
 * EC2 Image Builder stand-in (restJson1: one HTTP method + path per operation, errors in the
 * `x-amzn-errortype` header): workflow steps parked in a `WaitForAction` step.
 *
 * Documented behaviour implemented (EC2 Image Builder API Reference, imagebuilder-2019-12-02;
 * shared/reference/imagebuilder-*.{txt,rst}):
 * - SendWorkflowStepAction (PUT /SendWorkflowStepAction, API_SendWorkflowStepAction.html): RESUME completes
 *   the waiting step, STOP fails it; "the workflow step must be in a waiting state to accept an action. The
 *   request fails if the step has already timed out or been actioned" → InvalidRequestException; unknown step →
 *   ResourceNotFoundException; an imageBuildVersionArn that is not the step's image "fails with a validation
 *   error" → InvalidParameterValueException. clientToken (ClientToken shape: 1–36 characters): "if you retry a
 *   request with the same client token, Image Builder returns the original response without running the
 *   operation again"; the same token with other parameters → IdempotentParameterMismatchException (EC2
 *   "Ensuring idempotency").
 * - GetWorkflowStepExecution (GET /GetWorkflowStepExecution?stepExecutionId=, API_GetWorkflowStepExecution.html):
 *   status PENDING | SKIPPED | RUNNING | COMPLETED | FAILED | CANCELLED; times are strings. The page lists no
 *   not-found error; the stand-in answers ResourceNotFoundException like SendWorkflowStepAction.
 * - ListWaitingWorkflowSteps (POST /ListWaitingWorkflowSteps): the steps still waiting, paginated.
 */
import { clientError } from '../awsError';
import { ACCOUNT_ID, arnSafeName, newUuid, REGION } from '../awsIds';
import { type Input, stringField } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

export type WorkflowStepStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface WorkflowStepRecord {
  stepExecutionId: string;
  imageBuildVersionArn: string;
  workflowExecutionId: string;
  workflowBuildVersionArn: string;
  name: string;
  action: 'WaitForAction';
  status: WorkflowStepStatus;
  message?: string;
  startTime: string;
  endTime?: string;
  onFailure: 'Abort';
  timeoutSeconds: number;
}

interface StepActionRequest {
  stepExecutionId: string;
  imageBuildVersionArn: string;
  action: string;
  reason?: string;
}

interface StepActionResponse {
  stepExecutionId: string;
  imageBuildVersionArn: string;
  clientToken: string;
}

export interface ImageBuilderState {
  steps: Record<string, WorkflowStepRecord>;
  /** clientToken → the request it was first used with and the answer it got (idempotency records). */
  clientTokens: Record<string, { request: StepActionRequest; response: StepActionResponse }>;
}

export interface WaitingStep {
  workflowStepExecutionId: string;
  imageBuildVersionArn: string;
  workflowExecutionId: string;
  workflowBuildVersionArn: string;
  stepName: string;
}

/** restJson1 routes: HTTP method and path of each implemented operation. */
export const IMAGE_BUILDER_ROUTES = [
  { method: 'PUT', path: '/SendWorkflowStepAction', operation: 'SendWorkflowStepAction' },
  { method: 'GET', path: '/GetWorkflowStepExecution', operation: 'GetWorkflowStepExecution' },
  { method: 'POST', path: '/ListWaitingWorkflowSteps', operation: 'ListWaitingWorkflowSteps' },
] as const;

const STEP_EXECUTION_ID = /^step-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const IMAGE_BUILD_VERSION_ARN =
  /^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws(?:-[a-z-]+)?):image\/[a-z0-9-_]+\/[0-9]+\.[0-9]+\.[0-9]+\/[0-9]+$/;
const INVALID = 'InvalidParameterValueException';

export function emptyImageBuilderState(): ImageBuilderState {
  return { steps: {}, clientTokens: {} };
}

export class ImageBuilderStandin extends StatefulStandin<ImageBuilderState> implements StandinService {
  readonly service = 'imagebuilder';
  readonly wire = { protocol: 'restJson1', routes: IMAGE_BUILDER_ROUTES } as const;
  readonly operations = IMAGE_BUILDER_ROUTES.map((route) => route.operation);

  /** Seeds an image build whose workflow now waits in a WaitForAction step. */
  addWaitingStep(options: {
    imageName: string;
    version?: string;
    stepName?: string;
    /** Fixed ids, e.g. those of a sample event; new ones otherwise. */
    stepExecutionId?: string;
    workflowExecutionId?: string;
    build?: number;
  }): WaitingStep {
    const image = arnSafeName(options.imageName);
    const version = options.version ?? '1.0.0';
    const imagePrefix = `arn:aws:imagebuilder:${REGION}:${ACCOUNT_ID}:image/${image}/${version}/`;
    const build =
      options.build ??
      Object.values(this.state.steps).filter((step) => step.imageBuildVersionArn.startsWith(imagePrefix)).length + 1;
    const step: WorkflowStepRecord = {
      stepExecutionId: options.stepExecutionId ?? `step-${newUuid()}`,
      imageBuildVersionArn: `${imagePrefix}${build}`,
      workflowExecutionId: options.workflowExecutionId ?? `wf-${newUuid()}`,
      workflowBuildVersionArn: `arn:aws:imagebuilder:${REGION}:${ACCOUNT_ID}:workflow/build/${image}-approval/1.0.0/1`,
      name: options.stepName ?? 'WaitForApproval',
      action: 'WaitForAction',
      status: 'RUNNING',
      startTime: this.now().toISOString(),
      onFailure: 'Abort',
      timeoutSeconds: 43_200,
    };
    this.state.steps[step.stepExecutionId] = step;
    this.changed();
    return {
      workflowStepExecutionId: step.stepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      workflowExecutionId: step.workflowExecutionId,
      workflowBuildVersionArn: step.workflowBuildVersionArn,
      stepName: step.name,
    };
  }

  /** The step as the stand-in holds it (undefined when unknown). */
  get(stepExecutionId: string): WorkflowStepRecord | undefined {
    const step = this.state.steps[stepExecutionId];
    return step ? { ...step } : undefined;
  }

  handle(operation: string, input: Input): unknown {
    switch (operation) {
      case 'SendWorkflowStepAction':
        return this.sendWorkflowStepAction(input);
      case 'GetWorkflowStepExecution':
        return this.getWorkflowStepExecution(input);
      case 'ListWaitingWorkflowSteps':
        return this.listWaitingWorkflowSteps(input);
      default:
        throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private sendWorkflowStepAction(input: Input): StepActionResponse {
    const request = this.readStepActionRequest(input);
    const clientToken = stringField(input, 'clientToken', { required: true, min: 1, max: 36, errorName: INVALID });
    const earlier = this.state.clientTokens[clientToken];
    if (earlier) {
      if (!sameRequest(earlier.request, request)) {
        throw clientError(
          'IdempotentParameterMismatchException',
          `The client token ${clientToken} was already used with different parameters.`,
        );
      }
      return earlier.response;
    }
    const step = this.state.steps[request.stepExecutionId];
    if (!step) {
      throw clientError('ResourceNotFoundException', `The workflow step ${request.stepExecutionId} does not exist.`);
    }
    if (step.imageBuildVersionArn !== request.imageBuildVersionArn) {
      throw clientError(
        INVALID,
        `The image ${request.imageBuildVersionArn} does not own step ${step.stepExecutionId}.`,
      );
    }
    if (step.status !== 'RUNNING') {
      throw clientError(
        'InvalidRequestException',
        `The workflow step ${step.stepExecutionId} is not waiting for an action (status ${step.status}).`,
      );
    }
    Object.assign(step, {
      status: request.action === 'RESUME' ? 'COMPLETED' : 'FAILED',
      message: request.reason,
      endTime: this.now().toISOString(),
    });
    const response = {
      stepExecutionId: step.stepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      clientToken,
    };
    this.state.clientTokens[clientToken] = { request, response };
    this.changed();
    return response;
  }

  private readStepActionRequest(input: Input): StepActionRequest {
    const stepExecutionId = stringField(input, 'stepExecutionId', { required: true, errorName: INVALID });
    if (!STEP_EXECUTION_ID.test(stepExecutionId)) {
      throw clientError(INVALID, `Invalid stepExecutionId: ${stepExecutionId}`);
    }
    const imageBuildVersionArn = stringField(input, 'imageBuildVersionArn', { required: true, errorName: INVALID });
    if (!IMAGE_BUILD_VERSION_ARN.test(imageBuildVersionArn)) {
      throw clientError(INVALID, `Invalid imageBuildVersionArn: ${imageBuildVersionArn}`);
    }
    const action = stringField(input, 'action', { required: true, errorName: INVALID });
    if (action !== 'RESUME' && action !== 'STOP') {
      throw clientError(INVALID, `Invalid action ${action}: expected RESUME or STOP`);
    }
    const reason = stringField(input, 'reason', { min: 1, errorName: INVALID });
    return { stepExecutionId, imageBuildVersionArn, action, reason };
  }

  private getWorkflowStepExecution(input: Input): unknown {
    const stepExecutionId = stringField(input, 'stepExecutionId', {
      required: true,
      errorName: 'InvalidRequestException',
    });
    if (!STEP_EXECUTION_ID.test(stepExecutionId)) {
      throw clientError('InvalidRequestException', `Invalid stepExecutionId: ${stepExecutionId}`);
    }
    const step = this.state.steps[stepExecutionId];
    if (!step) throw clientError('ResourceNotFoundException', `The workflow step ${stepExecutionId} does not exist.`);
    return {
      requestId: newUuid(),
      stepExecutionId: step.stepExecutionId,
      workflowBuildVersionArn: step.workflowBuildVersionArn,
      workflowExecutionId: step.workflowExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      name: step.name,
      description: 'Waits for a person to approve the image.',
      action: step.action,
      status: step.status,
      message: step.message,
      inputs: '{}',
      outputs: '{}',
      startTime: step.startTime,
      endTime: step.endTime,
      onFailure: step.onFailure,
      timeoutSeconds: step.timeoutSeconds,
    };
  }

  private listWaitingWorkflowSteps(input: Input): unknown {
    const maxResults = typeof input.maxResults === 'number' ? Math.min(Math.max(input.maxResults, 1), 25) : 25;
    const start = typeof input.nextToken === 'string' ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    if (!Number.isInteger(start) || start < 0) throw clientError('InvalidPaginationTokenException', 'Bad nextToken');
    const waiting = Object.values(this.state.steps)
      .filter((step) => step.status === 'RUNNING')
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
    const page = waiting.slice(start, start + maxResults);
    const end = start + page.length;
    return {
      steps: page.map((step) => ({
        stepExecutionId: step.stepExecutionId,
        imageBuildVersionArn: step.imageBuildVersionArn,
        workflowExecutionId: step.workflowExecutionId,
        workflowBuildVersionArn: step.workflowBuildVersionArn,
        name: step.name,
        action: step.action,
        startTime: step.startTime,
      })),
      nextToken: end < waiting.length ? Buffer.from(String(end)).toString('base64') : undefined,
    };
  }
}

function sameRequest(a: StepActionRequest, b: StepActionRequest): boolean {
  return (
    a.stepExecutionId === b.stepExecutionId &&
    a.imageBuildVersionArn === b.imageBuildVersionArn &&
    a.action === b.action &&
    a.reason === b.reason
  );
}
