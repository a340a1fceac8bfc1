import { ERROR_STATUS, type ErrorCode, type ErrorIssue } from '@mashang/shared';

/** A typed failure with a stable code; only client errors (< 500) show their message. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = () => new AppError('FORBIDDEN', '您没有权限进行此操作');
