/** The pieces of ARN patterns every source uses (partition aware: aws, aws-cn, aws-us-gov). */
export const PARTITION = 'arn:aws(?:-[a-z]+)*';
export const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
export const ACCOUNT = '\\d{12}';

/** The name part after the last colon, e.g. the execution name. */
export function lastArnSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** A UUID-shaped id (Image Builder step and workflow executions, SSM automation executions). */
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
