import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { httpEvent, type HttpCall } from '../../dev/http-event';
import { login } from '../../functions/src/handlers/auth';

type Handler = (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export type Call = HttpCall;

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/**
 * Invoke a Lambda handler with an API Gateway HTTP API (v2) event, as API Gateway would. A write route
 * (domain/idempotency httpWrite) gets a fresh requestId when the test sends none, as a client makes one per action.
 */
export async function call<T = any>(handler: Handler, c: Call = {}): Promise<Res<T>> {
  const write = (handler as { idempotent?: boolean }).idempotent && c.rawBody === undefined;
  const body = c.body === undefined || (typeof c.body === 'object' && c.body && !Array.isArray(c.body)) ? c.body : null;
  const event = httpEvent(
    write && body !== null && !(body && 'requestId' in body) ? { ...c, body: { requestId: requestId(), ...body } } : c,
  );
  const r = await handler(event);
  const isJson = String(r.headers?.['content-type'] ?? '').startsWith('application/json');
  return { status: r.statusCode ?? 200, body: isJson ? JSON.parse(String(r.body)) : r.body, headers: r.headers ?? {} };
}

/** Log in through the real stand-in's jscode2session; the same code is always the same person. */
export async function loginAs(code: string): Promise<{ token: string; userId: string }> {
  const r = await call(login, { body: { code } });
  if (r.status !== 200) throw new Error(`login ${code} failed: ${JSON.stringify(r.body)}`);
  return { token: r.body.token, userId: r.body.user.id };
}

export const uniq = (prefix = 't') => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
export const requestId = () => `req-${randomUUID()}`;
