/** Errors of the HTTP plumbing: the request itself is unusable before any use case runs. */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
  }
}

export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  constructor(options?: { cause?: unknown }) {
    super('the request body is not valid JSON', options);
  }
}

export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(
    readonly issues: Array<{ path: string; message: string }>,
    options?: { cause?: unknown },
  ) {
    super(
      `the request is not valid: ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`,
      options,
    );
  }
}

/** No route for this method and path. */
export class RouteNotFoundError extends Error {
  override readonly name = 'RouteNotFoundError';
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`no route for ${method} ${path}`);
  }
}
