import { consoleConfig } from './config';

/** An API error as the API states it: stable code, Chinese message, field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
  /** Field → message, for forms. */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries(this.issues.filter((i) => i.path).map((i) => [i.path, i.message]));
  }
}

const TOKEN_KEY = 'mashang.console.token';

export const tokenStore = {
  get: () => globalThis.localStorage?.getItem(TOKEN_KEY) ?? null,
  set: (t: string) => globalThis.localStorage?.setItem(TOKEN_KEY, t),
  clear: () => globalThis.localStorage?.removeItem(TOKEN_KEY),
};

let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

/** A request id for an idempotent write (8–64 of [A-Za-z0-9_-], shared RequestId). */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `c${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`;
}

/**
 * Every write carries a requestId: the server answers a retry of it with the first answer and changes nothing
 * twice. A page that may send the same action again keeps its own (newRequestId once per user action); any other
 * write gets one per call here.
 */
function withRequestId(body: unknown): unknown {
  if (body === undefined) return { requestId: newRequestId() };
  if (body && typeof body === 'object' && !Array.isArray(body) && !('requestId' in body))
    return { requestId: newRequestId(), ...body };
  return body;
}

export async function api<T = unknown>(
  path: string,
  opts: { method?: 'GET' | 'POST'; body?: unknown; query?: Record<string, string | number | undefined> } = {},
): Promise<T> {
  const url = new URL(`${consoleConfig().apiBase}/v1${path}`);
  const sent = opts.method === 'POST' && !path.startsWith('/auth/') ? withRequestId(opts.body) : opts.body;
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(url.toString(), {
      method: opts.method ?? 'GET',
      headers: {
        ...(sent !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: sent !== undefined ? JSON.stringify(sent) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let body: { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } & Record<
    string,
    unknown
  >;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的内容，请稍后重试');
  }
  if (!res.ok) {
    if (res.status === 401) onUnauthenticated();
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'HTTP_' + res.status,
      body?.error?.message ?? '请求失败，请稍后重试',
      body?.error?.issues ?? [],
    );
  }
  return body as T;
}

export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请稍后重试');
