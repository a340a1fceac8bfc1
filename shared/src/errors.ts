/** Stable error codes of the public API (SPEC §5) and their HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  /** Console QR login: the state is unknown, used or expired (anti-CSRF), or the WeChat account is not known here. */
  LOGIN_STATE_INVALID: 401,
  ACCOUNT_NOT_LINKED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CODE_INVALID: 404,
  CODE_REVOKED: 410,
  ALREADY_RATED_TODAY: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  ILLEGAL_TRANSITION: 409,
  RECTIFICATION_REQUIRED: 409,
  CALLBACK_REQUIRED: 409,
  CONFLICT: 409,
  /** The same requestId is being served (or its change committed without an answer): look again shortly. */
  REQUEST_IN_PROGRESS: 409,
  RATE_LIMITED: 429,
  CREDIT_CODE_MISMATCH: 400,
  BINDING_CODE_INVALID: 400,
  BINDING_CODE_EXPIRED: 410,
  BINDING_CODE_USED: 409,
  ALREADY_BOUND: 409,
  WITHDRAW_WINDOW_PASSED: 409,
  VISIT_WITHDRAWN: 409,
  RATING_WINDOW_PASSED: 409,
  ALREADY_RATED: 409,
  // Machine API (POST /v1/services) and SMS rating invitations
  SIGNATURE_INVALID: 401,
  TIMESTAMP_SKEW: 401,
  REPLAYED: 409,
  INVITATION_INVALID: 404,
  INVITATION_EXPIRED: 410,
  INVITATION_USED: 409,
  UPSTREAM_FAILED: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; issues?: ErrorIssue[] };
}
