/** What every source's console links share: reading an ARN, and the console's address in a region. */

const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
/** Regions outside the standard `aws` partition have other console domains: we give no link rather than a wrong one. */
const OTHER_PARTITION_REGION = /^(?:cn-|us-gov-|us-iso|eu-isoe-)/;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  if (!value.startsWith('arn:') || /\s/.test(value)) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition = '', service = '', region = ''] = parts;
  return { partition, service, region, resource: parts.slice(5).join(':') };
}

/**
 * Where the console links of `workflowRef` go: the ARN's region (else `region`), standard partition only; undefined
 * when no link should be given.
 */
export function consoleTarget(
  workflowRef: string,
  region: string,
): { base: string; region: string; arn?: ParsedArn } | undefined {
  const arn = parseArn(workflowRef);
  if (arn !== undefined && arn.partition !== 'aws') return undefined;
  const linkRegion = arn?.region || region;
  if (!REGION_PATTERN.test(linkRegion) || OTHER_PARTITION_REGION.test(linkRegion)) return undefined;
  return { base: `https://${linkRegion}.console.aws.amazon.com`, region: linkRegion, ...(arn ? { arn } : {}) };
}
