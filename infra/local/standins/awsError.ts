/**
 * An error a stand-in answers with. The wire layer encodes it the way the real service does:
 * awsJson1_0/1_1 put the shape name in `__type` of the JSON body; restJson1 puts it in the
 * `x-amzn-errortype` header. The AWS SDK v3 reads either and raises the modelled exception class.
 */
export class AwsError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = errorName;
  }
}

/** Shorthand for a client error (HTTP 400) with the given shape name. */
export function clientError(errorName: string, message: string): AwsError {
  return new AwsError(errorName, message, 400);
}
