import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ErrorBody } from '@mashang/shared';
import { ConfigError, loadConfig } from '../config';
import { AppError } from './errors';
import { invocation, logger } from './logger';
import { verifySession, type Session } from './session';

export interface HttpRequest {
  body: unknown;
  /** The body exactly as received (signed machine requests hash these bytes). */
  rawBody: string;
  method: string;
  /** API Gateway's route key (`POST /v1/windows/{id}/retire`): which route this is, whatever the path. */
  route: string;
  /** The request path as API Gateway received it (rawPath). */
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  headers: Record<string, string>;
  /** The client's address as API Gateway saw it. */
  sourceIp: string;
  /** The verified caller, or an UNAUTHENTICATED error. */
  session(): Promise<Session>;
  /** The caller if a valid token came with the request, else undefined. */
  optionalSession(): Promise<Session | undefined>;
}

export interface HttpResult {
  status?: number;
  body?: unknown;
  /** Extra response headers (e.g. Cache-Control of a public, cacheable answer). */
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. a PDF), sent base64-encoded. */
  binary?: { contentType: string; data: Buffer; filename?: string };
}

/**
 * CORS for the browser clients only: the console and the H5 build, as configured (ALLOWED_ORIGINS, comma separated;
 * API Gateway's own CORS config in serverless.yml says the same). Other origins get no allow-origin header.
 */
function cors(origin: string | undefined): Record<string, string> {
  const allowed = (process.env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'content-type,authorization',
    'access-control-allow-methods': 'GET,POST,OPTIONS',
    vary: 'origin',
  };
}

function json(status: number, body: unknown, origin?: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...cors(origin) },
    body: JSON.stringify(body),
  };
}

function errorResponse(err: unknown, origin?: string): APIGatewayProxyStructuredResultV2 {
  if (err instanceof AppError && err.status < 500) {
    const body: ErrorBody = {
      error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) },
    };
    return json(err.status, body, origin);
  }
  if (err instanceof AppError) {
    logger.error('upstream failure', { code: err.code, detail: err.message });
    return json(err.status, { error: { code: err.code, message: '服务暂时不可用，请稍后重试' } }, origin);
  }
  if (err instanceof ConfigError) {
    // One clear line naming what is missing; the caller learns nothing about it.
    logger.error(`refusing to serve: ${err.message}`);
    return json(500, { error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } }, origin);
  }
  logger.error('unexpected failure', err as Error);
  return json(500, { error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } }, origin);
}

/** A path parameter as sent; a malformed percent-encoding (`%25` decoded twice, `%E0%A4`) is the caller's error. */
function decodeParam(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    throw new AppError('VALIDATION_FAILED', '请求路径编码不正确');
  }
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', '请求体不是有效的 JSON');
  }
}

const CASE_ID = /^\d{8}-[0-9A-Z]{6}$/;

/** The correlation keys of a request: API Gateway's request id, the client's idempotency requestId, the case. */
function requestKeys(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  let requestId: string | undefined;
  try {
    const body = event.body && !event.isBase64Encoded ? (JSON.parse(event.body) as { requestId?: unknown }) : undefined;
    if (typeof body?.requestId === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(body.requestId)) requestId = body.requestId;
  } catch {
    // not JSON: parseBody answers it
  }
  const id = event.pathParameters?.id;
  return {
    apiRequestId: event.requestContext?.requestId,
    route: event.routeKey,
    requestId,
    caseId: id && CASE_ID.test(id) ? id : undefined,
  };
}

/**
 * The only thing every HTTP handler shares: parse the event, call the use case, map the result or error. Write
 * routes (every POST of serverless.yml) use domain/idempotency `httpWrite`, which wraps this one: a retried
 * request gets the first answer and changes nothing twice.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function http(fn: (req: HttpRequest) => Promise<HttpResult>) {
  return (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> =>
    invocation(context, requestKeys(event), () => handle(fn, event));
}

type HttpHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * One Lambda function serving several routes, picked by API Gateway's route key (`POST /v1/ratings`): for routes that
 * share what an instance keeps in memory (handlers/scan.ts). A route it does not serve is answered NOT_FOUND.
 */
export function byRoute(
  routes: Record<string, HttpHandler>,
): HttpHandler & { readonly routes: Readonly<Record<string, HttpHandler>> } {
  const handler = (event: APIGatewayProxyEventV2, context?: Context) => {
    const route = routes[event.routeKey];
    if (route) return route(event, context);
    return Promise.resolve(json(404, { error: { code: 'NOT_FOUND', message: '接口不存在' } }, event.headers?.origin));
  };
  return Object.assign(handler, { routes });
}

async function handle(
  fn: (req: HttpRequest) => Promise<HttpResult>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const origin = headers['origin'];
  try {
    await loadConfig();
    let cachedSession: Promise<Session | undefined> | undefined;
    const optionalSession = () => (cachedSession ??= verifySession(headers['authorization']));
    const req: HttpRequest = {
      body: parseBody(event),
      rawBody: event.body
        ? event.isBase64Encoded
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body
        : '',
      method: event.requestContext?.http?.method ?? 'GET',
      route: event.routeKey ?? '$default',
      path: event.rawPath ?? '/',
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, decodeParam(v ?? '')])),
      headers,
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      optionalSession,
      session: async () => {
        const s = await optionalSession();
        if (!s) throw new AppError('UNAUTHENTICATED', '请先登录');
        return s;
      },
    };
    const result = await fn(req);
    if (result.binary) {
      return {
        statusCode: result.status ?? 200,
        isBase64Encoded: true,
        headers: {
          'content-type': result.binary.contentType,
          ...(result.binary.filename
            ? { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(result.binary.filename)}` }
            : {}),
          ...cors(origin),
        },
        body: result.binary.data.toString('base64'),
      };
    }
    const res = json(result.status ?? 200, result.body ?? {}, origin);
    return result.headers ? { ...res, headers: { ...res.headers, ...result.headers } } : res;
  } catch (err) {
    return errorResponse(err, origin);
  }
}
