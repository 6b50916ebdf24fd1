/** The policy file bundled with the functions (infra/policy.json), validated once at cold start. */
import policyFile from '../../infra/policy.json';
import { parsePolicyDocument } from '../domain/policyDocument';

export const policyDocument = parsePolicyDocument(policyFile);
