import Taro from '@tarojs/taro';
import type { ErrorBody, ErrorIssue, LoginResponse } from '@mashang/shared';

/** What every failed call becomes: the server's stable code and its Chinese message. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues?: ErrorIssue[];

  constructor(code: string, message: string, status: number, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.issues = issues;
  }
}

const NETWORK_ERROR = 'NETWORK_ERROR';
const NETWORK_ERROR_MESSAGE = '网络不稳定，请重试';

const TOKEN_KEY = 'mashang.token';
const USER_KEY = 'mashang.user';
const H5_LOGIN_CODE_KEY = 'mashang.h5LoginCode';

export type User = LoginResponse['user'];
type Method = 'GET' | 'POST';
/** required: log in first; optional: send a token if we hold one, log in only if the server asks (401). */
type Auth = 'required' | 'optional' | 'none';

export function baseUrl(): string {
  // H5 only: a test harness may point one build at another local API (localStorage 'mashang.apiBase').
  // Not a URL parameter, so no link can send a citizen's data elsewhere.
  if (process.env.TARO_ENV === 'h5' && typeof localStorage !== 'undefined') {
    const override = localStorage.getItem('mashang.apiBase');
    if (override && /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(override)) return override;
  }
  return typeof API_BASE_URL === 'string' && API_BASE_URL ? API_BASE_URL : 'http://127.0.0.1:3000';
}

/** A request id for idempotent writes (8–64 of [A-Za-z0-9_-], see shared RequestId). */
export function newRequestId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = Date.now().toString(36) + '-';
  for (let i = 0; i < 16; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

export function storedToken(): string {
  return (Taro.getStorageSync(TOKEN_KEY) as string) || '';
}

export function storedUser(): User | null {
  const u = Taro.getStorageSync(USER_KEY) as User | '';
  return u || null;
}

function saveSession(res: LoginResponse) {
  Taro.setStorageSync(TOKEN_KEY, res.token);
  Taro.setStorageSync(USER_KEY, res.user);
}

/** Take over a session the API handed back (binding to an enterprise returns a token with the new role). */
export function adoptSession(res: LoginResponse) {
  saveSession(res);
}

export function clearSession() {
  Taro.removeStorageSync(TOKEN_KEY);
  Taro.removeStorageSync(USER_KEY);
}

/**
 * The one-time code POST /v1/auth/wechat exchanges for a token. On WeChat it comes from wx.login
 * (https://developers.weixin.qq.com/miniprogram/dev/api/open-api/login/wx.login.html). H5 has no wx.login:
 * the code is the stand-in chosen on the sign-in page, or one made for this browser, so the same
 * browser stays the same person (一次一评 depends on it).
 */
async function obtainLoginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'weapp') {
    const { code } = await Taro.login();
    return code;
  }
  let code = Taro.getStorageSync(H5_LOGIN_CODE_KEY) as string;
  if (!code) {
    code = `h5-citizen-${newRequestId()}`;
    Taro.setStorageSync(H5_LOGIN_CODE_KEY, code);
  }
  return code;
}

let pendingLogin: Promise<string> | null = null;

/** Logs in once even when several calls need a token at the same time. */
export function login(): Promise<string> {
  if (!pendingLogin) {
    pendingLogin = (async () => {
      let code: string;
      try {
        code = await obtainLoginCode();
      } catch {
        throw new ApiError('LOGIN_FAILED', '微信登录失败，请稍后重试', 0);
      }
      const res = await send<LoginResponse>('POST', '/v1/auth/wechat', { code }, '');
      saveSession(res);
      return res.token;
    })().finally(() => {
      pendingLogin = null;
    });
  }
  return pendingLogin;
}

/**
 * Start logging in now, without waiting, when no token is held: the page after a scan looks the code up (which needs
 * no login) while this runs beside it, so the rating that follows finds its token ready and the first screen costs one
 * API round trip in sequence. A failure here is silent: the request that needs the token logs in again.
 */
export function loginInBackground(): void {
  if (storedToken()) return;
  login().catch(() => undefined);
}

/** H5 sign-in page: become the person behind a stand-in code (e.g. demo-inspector). */
export async function signInWithStandInCode(code: string): Promise<User> {
  clearSession();
  Taro.setStorageSync(H5_LOGIN_CODE_KEY, code);
  await login();
  return storedUser() as User;
}

async function send<T>(method: Method, path: string, data: unknown, token: string): Promise<T> {
  let res: Taro.request.SuccessCallbackResult<string | TaroGeneral.IAnyObject>;
  try {
    res = await Taro.request({
      url: baseUrl() + path,
      method,
      data: data as Record<string, unknown> | undefined,
      header: {
        'content-type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      timeout: 15000,
    });
  } catch {
    throw new ApiError(NETWORK_ERROR, NETWORK_ERROR_MESSAGE, 0);
  }
  const status = res.statusCode;
  // A Lambda that crashed or timed out can reach us as 200 with the runtime's error object (serverless-offline
  // does this): that is a server failure, not data.
  const runtimeError = res.data as { errorType?: unknown; errorMessage?: unknown } | undefined;
  if (
    status >= 200 &&
    status < 300 &&
    runtimeError &&
    typeof runtimeError === 'object' &&
    'errorType' in runtimeError &&
    'errorMessage' in runtimeError
  ) {
    throw new ApiError('UPSTREAM_FAILED', '服务暂时不可用，请稍后重试', 502);
  }
  if (status >= 200 && status < 300) return res.data as T;
  let body = res.data as ErrorBody | string | undefined;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as ErrorBody;
    } catch {
      body = undefined;
    }
  }
  if (body && typeof body === 'object' && body.error?.code) {
    throw new ApiError(body.error.code, body.error.message, status, body.error.issues);
  }
  const message = status >= 500 ? '服务暂时不可用，请稍后重试' : `请求失败（${status}）`;
  throw new ApiError(`HTTP_${status}`, message, status);
}

/**
 * Every write carries a requestId (the server answers a retry with the first answer and changes nothing twice): a
 * form that may be sent again keeps its own (newRequestId once per user action); any other write gets one here,
 * made once per call and kept by the retry below.
 */
function withRequestId(method: Method, data: unknown): unknown {
  if (method === 'GET') return data;
  if (data === undefined) return { requestId: newRequestId() };
  if (data && typeof data === 'object' && !Array.isArray(data) && !('requestId' in data))
    return { requestId: newRequestId(), ...data };
  return data;
}

/**
 * Calls the API. A 401 means the token expired or was never there: log in again without the user
 * noticing and retry once with the same body (so a write keeps its requestId).
 */
export async function request<T>(method: Method, path: string, data?: unknown, auth: Auth = 'required'): Promise<T> {
  data = withRequestId(method, data);
  let token = auth === 'none' ? '' : storedToken();
  if (auth === 'required' && !token) token = await login();
  try {
    return await send<T>(method, path, data, token);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && auth !== 'none') {
      clearSession();
      const fresh = await login();
      return send<T>(method, path, data, fresh);
    }
    throw e;
  }
}

/** The text to show for any failure. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return '出错了，请重试';
}

/** A failed binding (enterprise contact or official): a rate limit also says why the attempts are limited. */
export function bindingErrorMessage(e: unknown): string {
  return e instanceof ApiError && e.code === 'RATE_LIMITED'
    ? `${e.message}（为防止冒用，错误次数有限制）`
    : errorMessage(e);
}
