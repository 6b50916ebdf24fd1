import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../shared/app/errors';
import { imageBuilderSource } from '../../../shared/sources/imagebuilder/imageBuilderSource';
import { sampleEvent } from '../../support/fixtures';

const source = imageBuilderSource.waitingSource(imageBuilderSource.createClient(), {});
const IMAGE_ARN = 'arn:aws:imagebuilder:us-east-1:111122223333:image/golden-al2023/1.0.0/3';

describe('Image Builder source', () => {
  it('captures the step execution id and the image build version ARN that SendWorkflowStepAction needs', async () => {
    // Prepare
    const event = sampleEvent('imagebuilder/workflow-step-waiting');
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result.kind).toBe('waiting');
    if (result.kind !== 'waiting') return;
    expect(result.item).toMatchObject({
      source: 'imagebuilder',
      naturalKey: event.detail['workflow-step-execution-id'],
      workflowRef: IMAGE_ARN,
      title: 'Image golden-al2023 1.0.0/3: ApproveImage is waiting',
      sourceRef: {
        kind: 'imagebuilder',
        workflowStepExecutionId: event.detail['workflow-step-execution-id'],
        imageBuildVersionArn: IMAGE_ARN,
        workflowExecutionId: event.detail['workflow-execution-id'],
        workflowBuildVersionArn:
          'arn:aws:imagebuilder:us-east-1:111122223333:workflow/build/build-with-approval/1.0.0/1',
        stepName: 'ApproveImage',
      },
    });
  });

  it('recognises only the waiting event of aws.imagebuilder', () => {
    const event = sampleEvent('imagebuilder/workflow-step-waiting');
    expect(source.recognises(event)).toBe(true);
    expect(source.recognises(sampleEvent('imagebuilder/image-state-change-available'))).toBe(false);
    event.source = 'com.example.spoof';
    expect(source.recognises(event)).toBe(false);
  });

  const cases: Array<[string, (event: ReturnType<typeof sampleEvent>) => void, string]> = [
    [
      'missing step execution id',
      (event) => delete event.detail['workflow-step-execution-id'],
      'detail.workflow-step-execution-id',
    ],
    [
      'malformed step execution id',
      (event) => (event.detail['workflow-step-execution-id'] = 'step-1'),
      'detail.workflow-step-execution-id',
    ],
    [
      'malformed workflow execution id',
      (event) => (event.detail['workflow-execution-id'] = 'wf'),
      'detail.workflow-execution-id',
    ],
    ['no image build version ARN', (event) => (event.resources = [event.resources[1]]), 'resources'],
    [
      'an image ARN without a build number',
      (event) => (event.resources = ['arn:aws:imagebuilder:us-east-1:111122223333:image/golden/1.0.0']),
      'resources',
    ],
    ['non-JSON detail', (event) => (event.detail = 'workflow-step-execution-id=step-1'), 'detail'],
  ];
  it.each(cases)('refuses %s', async (_name, corrupt, path) => {
    const event = sampleEvent('imagebuilder/workflow-step-waiting');
    corrupt(event);
    const error = await source.capture(event).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).issues.map((issue) => issue.path)).toContain(path);
  });
});
