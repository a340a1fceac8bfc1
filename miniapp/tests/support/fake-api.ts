import Taro from '@tarojs/taro';
import { Current } from '@tarojs/runtime';

export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  data: any;
  header: Record<string, string>;
}

export type Reply = { status: number; body?: unknown } | 'network-error';
export type Handler = (call: Call) => Reply | Promise<Reply>;

/**
 * A fake of the HTTP API behind Taro.request: routes like 'GET /v1/codes/:code' answer with
 * { status, body }, or 'network-error' to make the request fail as a dropped connection does.
 * Unknown routes answer 404 NOT_FOUND. Login always succeeds unless a route overrides it.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const table = Object.entries<Handler>({
    'POST /v1/auth/wechat': () => ({ status: 200, body: { token: 'token-1', user: { id: 'u1', roles: [] } } }),
    ...routes,
  }).map(([key, handler]) => {
    const [method, pattern] = key.split(' ');
    const re = new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return { method, re, handler };
  });
  const spy = jest.spyOn(Taro, 'request').mockImplementation((async (opts: Taro.request.Option) => {
    const url = new URL(opts.url);
    const call: Call = {
      method: opts.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      data: opts.data,
      header: (opts.header ?? {}) as Record<string, string>,
    };
    calls.push(call);
    const route = table.find((r) => r.method === call.method && r.re.test(call.path));
    const reply: Reply = route
      ? await route.handler(call)
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: '未找到' } } };
    if (reply === 'network-error') throw { errMsg: 'request:fail timeout' };
    return { statusCode: reply.status, data: reply.body, header: {}, cookies: [], errMsg: 'request:ok' };
  }) as unknown as typeof Taro.request);
  return {
    calls,
    spy,
    to: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

export function apiError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

/** A promise the test resolves when it wants the server to answer. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Stubs the navigation APIs (no router in page tests) and returns the spies. */
export function stubNavigation() {
  const ok = () => Promise.resolve({ errMsg: 'ok' }) as any;
  return {
    navigateTo: jest.spyOn(Taro, 'navigateTo').mockImplementation(ok),
    redirectTo: jest.spyOn(Taro, 'redirectTo').mockImplementation(ok),
    reLaunch: jest.spyOn(Taro, 'reLaunch').mockImplementation(ok),
  };
}

/** Opens a page as Taro's router would, with these query parameters. */
export function openWith(path: string, params: Record<string, string> = {}) {
  Current.router = { params, path, onReady: '', onHide: '', onShow: '', shareAppMessage: undefined } as any;
}

export const WINDOW_CODE = 'wAbc123456.sig0123456789';
export const WINDOW_INFO = {
  kind: 'window',
  window: {
    id: 'win-1',
    name: '不动产登记窗口',
    department: { id: 'd1', name: '门源县自然资源局' },
    county: { id: 'menyuan', name: '门源县' },
  },
};
