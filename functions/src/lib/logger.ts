import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Observability with Powertools for AWS Lambda: structured JSON logs carrying the Lambda context and the
 * correlation keys of the request or stream record (apiRequestId, requestId, caseId), and business metrics in
 * CloudWatch EMF. Nothing personal is ever logged: no phone, name or openid (a test greps a whole run's logs).
 * Unexpected errors carry their detail here and never in a response.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'mashang-jiandu';
const powertools = new Logger({ serviceName });

/**
 * Correlation keys of one unit of work that runs beside others in the same invocation (a stream batch's cases are
 * dispatched at once: see `correlated`). Powertools' own keys are per process, so these ride on each line instead.
 */
const scope = new AsyncLocalStorage<LogAttributes>();

type Extra = (Error | string | LogAttributes)[];
const line =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (message: string, ...extra: Extra): void => {
    const keys = scope.getStore();
    // Powertools merges extra inputs in order: the call's own attributes win over the scope's keys.
    (powertools[level] as (m: string, ...x: Extra) => void)(message, ...(keys ? [{ ...keys }, ...extra] : extra));
  };

/** Structured JSON log lines carrying the invocation's context and correlation keys. */
export const logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MashangJiandu',
  serviceName,
});

export type BusinessMetric =
  | 'RatingsSubmitted'
  | 'BadRatings'
  | 'ComplaintsSubmitted'
  | 'CasesOpened'
  | 'CaseActions'
  | 'AlertsSent'
  | 'AlertsRetrying'
  | 'AlertsFailed';

/** Count a business event; published with the invocation (see `invocation`). */
export function count(metric: BusinessMetric, n = 1): void {
  metrics.addMetric(metric, MetricUnit.Count, n);
}

const defined = (keys: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;

/**
 * Add correlation keys to every later log line of this invocation (undefined values are left out); inside
 * `correlated`, to the lines of that unit of work only.
 */
export function correlate(keys: Record<string, string | undefined>): void {
  const add = defined(keys);
  const current = scope.getStore();
  if (current) Object.assign(current, add);
  else if (Object.keys(add).length) powertools.appendKeys(add);
}

/** Drop correlation keys (a stream batch moving on to its next record). */
export function uncorrelate(keys: string[]): void {
  const current = scope.getStore();
  if (current) for (const k of keys) delete current[k];
  else powertools.removeKeys(keys);
}

/**
 * Run one unit of work with correlation keys of its own, on top of the invocation's: its log lines, and those of
 * everything it awaits, carry them, even while other units of the same invocation run at the same time.
 */
export function correlated<T>(keys: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  return scope.run({ ...scope.getStore(), ...defined(keys) }, fn);
}

/**
 * One Lambda invocation (HTTP request, stream batch, schedule): its log lines carry the Lambda context
 * (function name, request id, cold start) and the given keys; its metrics are flushed as EMF at the end.
 */
export async function invocation<T>(
  context: Context | undefined,
  keys: Record<string, string | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  powertools.resetKeys();
  if (context?.awsRequestId) powertools.addContext(context);
  correlate(keys);
  try {
    return await fn();
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    powertools.resetKeys();
  }
}

/** Mainland mobile numbers in free text (e.g. a provider's error message) masked before they are logged or stored. */
export function redactPhones(text: string): string {
  return text.replace(/(\+?86)?(1[3-9]\d)\d{4}(\d{4})/g, '$2****$3');
}
