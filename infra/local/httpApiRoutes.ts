// HTTP API routing for the local stack, taken from serverless.yml itself: every `httpApi` event of every function
// becomes a route (API Gateway HTTP API, payload format 2.0), so the routes deployed to AWS and the ones served
// locally cannot drift apart.
//
// osls forms read here (https://www.serverless.com/framework/docs/providers/aws/events/http-api):
//   httpApi: 'GET /v1/approvals/{id}'        method + path
//   httpApi: { method: GET, path: /x/{id} }  the same, long form; method `*` (or ANY) matches every method
//   httpApi: '*'                             the catch-all `$default` route
// Route selection follows "Routing API requests" in
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html: the most specific route
// wins — a literal path segment beats a `{param}`, which beats a greedy `{proxy+}`; on the same path a route naming
// the method beats `ANY`; `$default` only catches what nothing else matches. Path parameters reach the function
// URL-decoded, as API Gateway decodes them.
import { readFileSync } from 'node:fs';
import { parseCloudFormationYaml } from '../tableDefinition';
import { LOCAL_STAGE } from './eventRules';

export interface HttpApiRoute {
  /** Key under `functions:` in serverless.yml, e.g. `restApi`. */
  functionName: string;
  /** The function's handler, e.g. `functions/restApi.handler`. */
  handler: string;
  /** Upper-case HTTP method, or `*` for every method (osls `*`, API Gateway `ANY`). */
  method: string;
  /** Route path as declared, e.g. `/v1/approvals/{id}`; may end in a greedy `{name+}`; `*` is the `$default` route. */
  path: string;
  /** API Gateway's route key as the function sees it in `routeKey`: `GET /v1/approvals/{id}`, `ANY /x`, `$default`. */
  routeKey: string;
  /** `AWS_IAM` for `authorizer: { type: aws_iam }`: the gateway admits only SigV4-signed calls (iamAuthorization.ts). */
  authorization?: 'AWS_IAM';
}

export interface HttpApiRouteMatch {
  route: HttpApiRoute;
  /** URL-decoded values of the route's `{param}` / `{proxy+}` segments (empty when the route has none). */
  pathParameters: Record<string, string>;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const PARAM = /^\{([A-Za-z0-9_.-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9_.-]+)\+\}$/;

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

function parseSegments(path: string): Segment[] {
  return path
    .slice(1)
    .split('/')
    .map((part): Segment => {
      const greedy = GREEDY.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = PARAM.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
}

function normaliseMethod(method: string, where: string): string {
  const upper = method.trim().toUpperCase();
  if (upper === '*' || upper === 'ANY') return '*';
  if (!HTTP_METHODS.has(upper)) throw new Error(`${where}: unsupported HTTP method ${JSON.stringify(method)}`);
  return upper;
}

function validatePath(path: string, where: string): void {
  if (path === '*') return;
  if (!path.startsWith('/')) throw new Error(`${where}: path ${JSON.stringify(path)} must start with /`);
  const segments = parseSegments(path);
  const names = new Set<string>();
  segments.forEach((segment, index) => {
    if (segment.kind === 'literal') {
      if (/[{}]/.test(segment.value)) {
        throw new Error(`${where}: path ${path}: a path variable must be a whole segment`);
      }
      return;
    }
    if (segment.kind === 'greedy' && index !== segments.length - 1) {
      throw new Error(`${where}: path ${path}: the greedy path variable must be at the end of the path`);
    }
    if (names.has(segment.name)) throw new Error(`${where}: path ${path}: path variable ${segment.name} repeats`);
    names.add(segment.name);
  });
}

function routeKeyOf(method: string, path: string): string {
  if (path === '*') return '$default';
  return `${method === '*' ? 'ANY' : method} ${path}`;
}

/** `authorizer: { type: aws_iam }` of the long form → `AWS_IAM`; other authorizers are not served locally. */
function authorizationOf(value: unknown, where: string): { authorization?: 'AWS_IAM' } {
  if (!isDict(value) || value.authorizer === undefined) return {};
  if (isDict(value.authorizer) && value.authorizer.type === 'aws_iam') return { authorization: 'AWS_IAM' };
  throw new Error(`${where}: only the aws_iam httpApi authorizer is served by the local stack`);
}

/** `{ method, path }` of one osls `httpApi` event value, or undefined when the event is not an httpApi event. */
function methodAndPath(value: unknown, where: string): { method: string; path: string } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '*') return { method: '*', path: '*' };
    const match = /^(\S+)\s+(\S+)$/.exec(text);
    if (!match?.[1] || !match[2]) {
      throw new Error(`${where}: httpApi ${JSON.stringify(value)} is neither '*' nor 'METHOD /path'`);
    }
    return { method: match[1], path: match[2] };
  }
  if (isDict(value)) {
    if (typeof value.path !== 'string') throw new Error(`${where}: httpApi needs a path`);
    const method = value.method ?? '*';
    if (typeof method !== 'string') throw new Error(`${where}: httpApi method must be a string`);
    return { method, path: value.path };
  }
  throw new Error(`${where}: httpApi must be a string or { method, path }`);
}

/** Resolves `${sls:stage}` to `local` (as eventRules.ts does); other osls variables stay literal strings. */
function resolveStage(value: string): string {
  return value.replaceAll(/\$\{\s*sls:stage\s*\}/g, LOCAL_STAGE);
}

/** Reads the HTTP API routes of all functions in serverless.yml (path relative to the working directory). */
export function loadHttpApiRoutes(serverlessYmlPath = 'serverless.yml'): HttpApiRoute[] {
  const config = parseCloudFormationYaml(readFileSync(serverlessYmlPath, 'utf8'));
  const functions = isDict(config) && isDict(config.functions) ? config.functions : {};
  const routes: HttpApiRoute[] = [];
  const seen = new Map<string, string>();
  for (const [functionName, fn] of Object.entries(functions)) {
    if (!isDict(fn) || !Array.isArray(fn.events)) continue;
    for (const event of fn.events) {
      const where = `${serverlessYmlPath}: ${functionName}`;
      const declared = isDict(event) ? methodAndPath(event.httpApi, where) : undefined;
      if (!declared) continue;
      if (typeof fn.handler !== 'string') throw new Error(`${where} has no handler`);
      const method = normaliseMethod(declared.method, where);
      const path = resolveStage(declared.path);
      validatePath(path, where);
      const routeKey = routeKeyOf(method, path);
      const owner = seen.get(routeKey);
      if (owner !== undefined) throw new Error(`${where}: route ${routeKey} is already declared by ${owner}`);
      seen.set(routeKey, functionName);
      const authorization = authorizationOf(event.httpApi, where);
      routes.push({ functionName, handler: fn.handler, method, path, routeKey, ...authorization });
    }
  }
  return routes;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // malformed escapes reach the function as sent
  }
}

/** Specificity of each segment: 0 literal, 1 `{param}`, 2 greedy; lower sorts first. */
function rankOf(segments: readonly Segment[]): number[] {
  return segments.map((segment) => (segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2));
}

function matchPath(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.every((part) => part === '')) return undefined;
      parameters[segment.name] = decode(rest.join('/'));
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return b.length - a.length; // at equal prefixes, the longer (more specific) route first
}

/**
 * The route API Gateway would pick for `method` and `path` (path without the query string; a query is ignored if
 * present), with its path parameters; undefined when no route matches (API Gateway answers 404 Not Found).
 */
export function matchHttpApiRoute(
  routes: readonly HttpApiRoute[],
  method: string,
  path: string,
): HttpApiRouteMatch | undefined {
  const requestMethod = method.toUpperCase();
  const rawPath = path.split('?')[0] ?? '';
  const parts = rawPath.startsWith('/') ? rawPath.slice(1).split('/') : rawPath.split('/');
  const candidates: { route: HttpApiRoute; ranks: number[]; pathParameters: Record<string, string> }[] = [];
  let fallback: HttpApiRoute | undefined;
  for (const route of routes) {
    if (route.path === '*') {
      fallback ??= route;
      continue;
    }
    if (route.method !== '*' && route.method !== requestMethod) continue;
    const segments = parseSegments(route.path);
    const pathParameters = matchPath(segments, parts);
    if (pathParameters) candidates.push({ route, ranks: rankOf(segments), pathParameters });
  }
  candidates.sort(
    (a, b) => compareRanks(a.ranks, b.ranks) || Number(a.route.method === '*') - Number(b.route.method === '*'),
  );
  const best = candidates[0];
  if (best) return { route: best.route, pathParameters: best.pathParameters };
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}
