import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../../../shared/domain/approval';
import { consoleLinksFor, SOURCE_PRESENTATIONS, sourceLabel } from '../../../shared/sources/sourcePresentations';
import {
  createSourceClients,
  createSourceProbes,
  createSourceResumers,
  createWaitingSources,
  destroySourceClients,
  SOURCES,
} from '../../../shared/sources/sources';

describe('the source registry', () => {
  it('has one descriptor per source kind, each of its own kind, and every registry follows it', () => {
    // Prepare
    const clients = createSourceClients({ region: 'us-east-1' });
    try {
      // Act
      const waiting = createWaitingSources(clients);
      const resumers = createSourceResumers(clients);
      const probes = createSourceProbes(clients);
      // Assess
      expect(Object.keys(SOURCES).sort()).toEqual([...SOURCE_KINDS].sort());
      expect(Object.keys(SOURCE_PRESENTATIONS).sort()).toEqual([...SOURCE_KINDS].sort());
      for (const kind of SOURCE_KINDS) {
        expect(SOURCES[kind].kind).toBe(kind);
        expect(SOURCE_PRESENTATIONS[kind]).toMatchObject({ kind, label: SOURCES[kind].label });
        expect(Object.keys(SOURCE_PRESENTATIONS[kind].answers).sort()).toEqual(['approved', 'expired', 'rejected']);
        expect(resumers[kind].kind).toBe(kind);
        expect(typeof probes[kind].stillWaiting).toBe('function');
        expect(SOURCES[kind].defaultTimeoutSeconds).toBeGreaterThan(0);
        expect(sourceLabel(kind)).not.toBe(kind);
      }
      expect(waiting.map((source) => source.kind).sort()).toEqual([...SOURCE_KINDS].sort());
    } finally {
      destroySourceClients(clients);
    }
  });

  it('gives console links only for a reference of the approval’s own source', () => {
    const executionArn = 'arn:aws:states:eu-west-1:111122223333:execution:deploy:run-1';
    expect(consoleLinksFor({ source: 'stepfunctions', workflowRef: executionArn }, 'us-east-1')).toEqual([
      {
        label: 'Step Functions execution',
        url: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`,
      },
    ]);
    expect(consoleLinksFor({ source: 'imagebuilder', workflowRef: executionArn }, 'us-east-1')).toEqual([]);
    expect(
      consoleLinksFor({ source: 'ssm', workflowRef: executionArn.replace('arn:aws:', 'arn:aws-cn:') }, 'us-east-1'),
    ).toEqual([]);
  });
});
