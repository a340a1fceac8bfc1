import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Observability with Powertools for AWS Lambda: structured JSON logs carrying the Lambda context and the
 * correlation keys of the request or stream record (apiRequestId, requestId, caseId), and business metrics in
 * CloudWatch EMF. Nothing personal is ever logged: no phone, name or openid (a test greps a whole run's logs).
 * Unexpected errors carry their detail here and never in a response.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'mashang-jiandu';
export const logger = new Logger({ serviceName });
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

/** Add correlation keys to every later log line of this invocation (undefined values are left out). */
export function correlate(keys: Record<string, string | undefined>): void {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined && v !== ''));
  if (Object.keys(defined).length) logger.appendKeys(defined);
}

/** Drop correlation keys (a stream batch moving on to its next record). */
export function uncorrelate(keys: string[]): void {
  logger.removeKeys(keys);
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
  logger.resetKeys();
  if (context?.awsRequestId) logger.addContext(context);
  correlate(keys);
  try {
    return await fn();
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}

/** Mainland mobile numbers in free text (e.g. a provider's error message) masked before they are logged or stored. */
export function redactPhones(text: string): string {
  return text.replace(/(\+?86)?(1[3-9]\d)\d{4}(\d{4})/g, '$2****$3');
}
