/**
 * Checks HTTP responses against the REST API's OpenAPI document (shared/channels/rest/openapi.yaml).
 *
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, so bodies are validated with Ajv's 2020 dialect (+ formats such as
 * `date-time`). Schema `$ref`s (`#/components/schemas/X`) are resolved against the document's components; OpenAPI
 * `$ref`s to responses and parameters are followed by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const OPENAPI_PATH = fileURLToPath(new URL('../../shared/channels/rest/openapi.yaml', import.meta.url));

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const COMPONENTS_ID = 'https://greenlight.invalid/openapi/components.json';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface OpenApiResponse {
  statusCode: number;
  headers?: Readonly<Record<string, unknown>>;
  body: string;
}

export interface OpenApiOperation {
  method: string;
  path: string;
  operationId?: string;
  /** Documented response statuses, as written in the document (`200`, `4XX`, `default`). */
  statuses: string[];
}

interface Loaded {
  document: Dict;
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

/** Rewrites `#/components/schemas/X` refs to the registered components schema. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isDict(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
        return [key, `${COMPONENTS_ID}#/$defs/${inner.slice('#/components/schemas/'.length)}`];
      }
      return [key, rewriteRefs(inner)];
    }),
  );
}

function load(): Loaded {
  if (loaded) return loaded;
  const document = parse(readFileSync(OPENAPI_PATH, 'utf8')) as unknown;
  if (!isDict(document) || typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
    throw new Error(`${OPENAPI_PATH}: not an OpenAPI 3.1 document`);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  // OpenAPI's own schema keywords, which JSON Schema does not know: annotations only.
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  const components = isDict(document.components) ? document.components : {};
  const schemas = isDict(components.schemas) ? components.schemas : {};
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(schemas) });
  loaded = { document, ajv, validators: new Map() };
  return loaded;
}

/** The parsed OpenAPI document (loaded once). */
export function openApiDocument(): Dict {
  return load().document;
}

/** Follows an OpenAPI `$ref` (`#/components/...`) inside the document. */
function resolve(value: unknown): unknown {
  let current = value;
  for (let hops = 0; isDict(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 16) throw new Error('OpenAPI $ref cycle');
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, part) => (isDict(node) ? node[part] : undefined), openApiDocument());
    if (current === undefined) throw new Error(`OpenAPI $ref ${ref} points nowhere`);
  }
  return current;
}

/** Every operation of the document with its documented response statuses. */
export function openApiOperations(): OpenApiOperation[] {
  const paths = openApiDocument().paths;
  if (!isDict(paths)) return [];
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isDict(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isDict(operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(typeof operation.operationId === 'string' && { operationId: operation.operationId }),
        statuses: isDict(operation.responses) ? Object.keys(operation.responses) : [],
      });
    }
  }
  return operations;
}

/** The document's path template for `path`: itself when declared, else the template a concrete path matches. */
function findPathTemplate(paths: Dict, path: string): string | undefined {
  const bare = path.split('?')[0] ?? path;
  if (bare in paths) return bare;
  const parts = bare.split('/');
  return Object.keys(paths).find((template) => {
    const segments = template.split('/');
    return (
      segments.length === parts.length &&
      segments.every((segment, i) => (/^\{[^}]+\}$/.test(segment) ? (parts[i] ?? '') !== '' : segment === parts[i]))
    );
  });
}

function headerValue(headers: OpenApiResponse['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(value)) return value.join(', ');
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Dict;
  let detail = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties') detail += `: ${JSON.stringify(params.additionalProperty)}`;
  if (error.keyword === 'enum') detail += `: ${JSON.stringify(params.allowedValues)}`;
  if (error.keyword === 'required') detail = `must have property ${JSON.stringify(params.missingProperty)}`;
  return `${where}: ${detail}`;
}

function validatorFor(key: string, schema: unknown): ValidateFunction {
  const state = load();
  let validate = state.validators.get(key);
  if (!validate) {
    validate = state.ajv.compile(rewriteRefs(schema) as Dict);
    state.validators.set(key, validate);
  }
  return validate;
}

/** The documented operation of `method pathTemplate` and its path template, or what is missing from the document. */
function documentedOperation(method: string, pathTemplate: string): { template: string; operation: Dict } | string {
  const paths = openApiDocument().paths;
  if (!isDict(paths)) return 'the OpenAPI document has no paths';
  const template = findPathTemplate(paths, pathTemplate);
  const item = template === undefined ? undefined : resolve(paths[template]);
  if (template === undefined || !isDict(item)) return `path ${pathTemplate} is not in the OpenAPI document`;
  const operation = item[method.toLowerCase()];
  if (!isDict(operation)) return `${method.toUpperCase()} ${template} is not in the OpenAPI document`;
  return { template, operation };
}

/**
 * Everything wrong with `response` as the answer of `method pathTemplate` (a template such as
 * `/v1/approvals/{id}`, or a concrete path that matches one): an undocumented status, a wrong content type, a body
 * that is not JSON or does not match the schema. Empty when the response matches the document.
 */
export function openApiViolations(method: string, pathTemplate: string, response: OpenApiResponse): string[] {
  const found = documentedOperation(method, pathTemplate);
  if (typeof found === 'string') return [found];
  const { template, operation } = found;
  const responses = isDict(operation.responses) ? operation.responses : {};
  const status = String(response.statusCode);
  const statusKey = [status, `${status[0]}XX`, 'default'].find((key) => key in responses);
  if (statusKey === undefined) {
    return [`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
  }
  const documented = resolve(responses[statusKey]);
  const content = isDict(documented) && isDict(documented.content) ? documented.content : undefined;
  if (!content || Object.keys(content).length === 0) {
    return response.body === '' ? [] : [`status ${status} is documented without a body, but the response has one`];
  }
  const contentType = headerValue(response.headers, 'content-type');
  const mediaType = (contentType?.split(';')[0] ?? '').trim().toLowerCase();
  if (!mediaType) return [`the response has no content-type (expected ${Object.keys(content).join(' or ')})`];
  const mediaKey = Object.keys(content).find((key) => key.toLowerCase() === mediaType);
  if (mediaKey === undefined) {
    return [`content-type ${contentType} is not documented (expected ${Object.keys(content).join(' or ')})`];
  }
  const media = content[mediaKey];
  if (!isDict(media) || media.schema === undefined) return [];
  if (!/json/.test(mediaKey)) return [];
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch (error) {
    return [`the body is not JSON: ${(error as Error).message}`];
  }
  const validate = validatorFor(`${method.toUpperCase()} ${template} ${statusKey} ${mediaKey}`, media.schema);
  if (validate(body)) return [];
  return [...new Set((validate.errors ?? []).map(describeError))];
}

/**
 * Everything wrong with `body` (JSON text) as the request body of `method pathTemplate`: no documented JSON body, or
 * one that does not match its schema. Empty when the document accepts it.
 */
export function openApiRequestViolations(method: string, pathTemplate: string, body: string): string[] {
  const found = documentedOperation(method, pathTemplate);
  if (typeof found === 'string') return [found];
  const { template, operation } = found;
  const requestBody = resolve(operation.requestBody);
  const content = isDict(requestBody) && isDict(requestBody.content) ? requestBody.content : undefined;
  const media = content?.['application/json'];
  if (!isDict(media) || media.schema === undefined) return [`${method.toUpperCase()} ${template} takes no JSON body`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return [`the body is not JSON: ${(error as Error).message}`];
  }
  const validate = validatorFor(`${method.toUpperCase()} ${template} request`, media.schema);
  if (validate(parsed)) return [];
  return [...new Set((validate.errors ?? []).map(describeError))];
}

/**
 * Throws a readable error when `response` is not what the OpenAPI document says `method pathTemplate` answers with
 * its status: the status must be documented, the content type must match, and the JSON body must match the schema.
 */
export function expectMatchesOpenApi(method: string, pathTemplate: string, response: OpenApiResponse): void {
  const violations = openApiViolations(method, pathTemplate, response);
  if (violations.length === 0) return;
  const shown = response.body.length > 2000 ? `${response.body.slice(0, 2000)}…` : response.body;
  throw new Error(
    `${method.toUpperCase()} ${pathTemplate} → ${response.statusCode} does not match ${OPENAPI_PATH}:\n` +
      violations.map((violation) => `  - ${violation}`).join('\n') +
      `\n  body: ${shown}`,
  );
}
