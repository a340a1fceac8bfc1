import type { Context } from 'aws-lambda';
import { escalateOverdue } from '../domain/escalation';
import { invocation } from '../lib/logger';
import { ready } from '../lib/ready';

/**
 * Every 5 minutes: overdue cases escalate. Its alerts leave through the outbox (the stream function sends them), so
 * this bundle carries no sending code.
 */
export const escalate = (_event?: unknown, context?: Context) =>
  invocation(context, { trigger: 'escalate' }, async () => {
    await ready();
    return escalateOverdue(new Date());
  });
