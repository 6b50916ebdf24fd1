/**
 * Middy middleware for event-triggered functions: a MalformedEventError is logged once, with its reason and the
 * paths at fault (never values), then rethrown so Lambda's bounded async retries end in the dead-letter queue.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { MalformedEventError } from '../app/errors';

export function logRejectedEvents(logger: Logger): MiddlewareObj {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof MalformedEventError) {
        logger.error('event rejected', {
          source: error.source ?? 'unknown',
          reason: error.reason,
          issues: error.issues,
        });
      } else if (error) {
        logger.error('event processing failed', { errorName: error.name, errorMessage: error.message });
      }
    },
  };
}
