/** A fetch stand-in for page tests: routes by method and path, records every call. */
export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
}

type Handler = (c: Call) => { status?: number; body: unknown };

export function stubApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  (globalThis as any).fetch = jest.fn(async (url: string, init?: RequestInit) => {
    const u = new URL(url);
    const c: Call = {
      method: init?.method ?? 'GET',
      path: u.pathname.replace(/^\/v1/, ''),
      query: Object.fromEntries(u.searchParams),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(c);
    const key = Object.keys(routes).find((k) => {
      const [m, p] = k.split(' ');
      return m === c.method && new RegExp(`^${p.replace(/:[a-z]+/g, '[^/]+')}$`).test(c.path);
    });
    const r = key ? routes[key](c) : { status: 404, body: { error: { code: 'NOT_FOUND', message: '不存在' } } };
    const status = r.status ?? 200;
    return { ok: status < 400, status, text: async () => JSON.stringify(r.body) };
  });
  return calls;
}

export function signedIn(roles = [{ role: 'operator', scope: 'haibei' }]) {
  localStorage.setItem('mashang.console.token', 'token-1');
  localStorage.setItem('mashang.console.user', JSON.stringify({ id: 'u1', roles }));
}

/** 门源县市场监督管理局 as the API lists it (GET /departments). */
export const MENYUAN_SCJG = {
  id: 'menyuan-scjg',
  name: '门源县市场监督管理局',
  level: '县',
  county: { id: 'menyuan', name: '门源' },
  path: 'haibei/menyuan/menyuan-scjg',
  status: 'active',
};

/** A route answering a list of `items` (one page, no cursor). */
export const listing =
  (...items: unknown[]) =>
  () => ({ body: { items } });
