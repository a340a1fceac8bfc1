import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface HttpCall {
  body?: unknown;
  rawBody?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  token?: string;
  /** Method and path as API Gateway puts them in the event (signed machine requests cover both). */
  method?: string;
  path?: string;
  /** Extra request headers (e.g. origin). */
  headers?: Record<string, string>;
  /** The caller's address (a random one per call unless given, so per-address limits stay out of the way). */
  sourceIp?: string;
}

/** An API Gateway HTTP API (v2) event, as API Gateway hands it to a function (tests and the benchmark). */
export function httpEvent(c: HttpCall = {}): APIGatewayProxyEventV2 {
  const octet = () => Math.floor(Math.random() * 250);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: c.path ?? '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
      ...c.headers,
    },
    queryStringParameters: c.query,
    pathParameters: c.params,
    body: c.rawBody ?? (c.body === undefined ? undefined : JSON.stringify(c.body)),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      http: {
        method: c.method ?? (c.body === undefined && c.rawBody === undefined ? 'GET' : 'POST'),
        path: c.path ?? '/',
        sourceIp: c.sourceIp ?? `10.${octet()}.${octet()}.${octet()}`,
      },
    },
  } as unknown as APIGatewayProxyEventV2;
}
