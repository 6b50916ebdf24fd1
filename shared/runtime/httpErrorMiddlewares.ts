/**
 * Middy error middlewares: every error becomes the documented HTTP error — JSON for the REST API, an HTML page for
 * the review pages. Unexpected errors are logged (redacted) and answered with a 500 that leaks nothing.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { renderErrorPage } from '../channels/reviewPages';
import { redactSecrets } from '../domain/redactSecrets';
import { describeHttpError, type HttpErrorDescription } from './httpErrorResponses';

function describeAndLog(logger: Logger, error: unknown): HttpErrorDescription {
  const description = describeHttpError(error);
  if (description.expected) {
    logger.info('request refused', { statusCode: description.statusCode, code: description.code });
  } else {
    logger.error('request failed', {
      errorName: error instanceof Error ? error.name : typeof error,
      errorMessage: redactSecrets(error instanceof Error ? error.message : String(error)),
    });
  }
  return description;
}

export function jsonErrorResponses(logger: Logger): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const { statusCode, code, message } = describeAndLog(logger, request.error);
      request.response = {
        statusCode,
        headers: { 'content-type': 'application/json', ...(statusCode === 429 ? { 'retry-after': '1' } : {}) },
        body: JSON.stringify({ error: { code, message } }),
      };
    },
  };
}

const PAGE_TITLES: Record<number, string> = {
  400: 'This request could not be read',
  401: 'Sign in to continue',
  403: 'You cannot decide on this approval',
  404: 'No such approval',
  409: 'This approval is already decided',
  410: 'Too late',
  413: 'Too much text',
  422: 'This request could not be read',
  429: 'Busy — try again in a moment',
  500: 'Something went wrong on our side',
};

/** Titles for refusals that the status's title would misdescribe. */
const CODE_TITLES: Record<string, string> = {
  not_from_review_page: 'Decide on the review page',
  invalid_csrf_token: 'Reload the page and try again',
  sign_in_refused: 'Sign-in refused',
};

export function htmlErrorPages(logger: Logger): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const { statusCode, code, message } = describeAndLog(logger, request.error);
      const title = CODE_TITLES[code] ?? PAGE_TITLES[statusCode] ?? 'Request refused';
      request.response = renderErrorPage(statusCode, title, message);
    },
  };
}
