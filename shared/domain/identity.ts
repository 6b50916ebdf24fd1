/** How Greenlight names a person's account: `email:<address>`, `slack:<user id>`, `iam:<IAM ARN>`. */
export const IDENTITY_PATTERN =
  /^(email:[^@\s]+@[^@\s]+|slack:[UW][A-Z0-9]{2,}|iam:arn:aws[a-z-]*:(iam|sts)::\d{12}:.+)$/;

export const IDENTITY_RULE = 'must be an identity: email:<address>, slack:<user id> or iam:<IAM ARN>';

export function isIdentity(value: string): boolean {
  return IDENTITY_PATTERN.test(value);
}
