import type { Context } from 'aws-lambda';
import { eraseExpiredContacts } from '../domain/retention';
import { invocation } from '../lib/logger';
import { ready } from '../lib/ready';

/** Every day: phones and names of cases closed more than RETENTION_DAYS ago are erased. */
export const erase = (_event?: unknown, context?: Context) =>
  invocation(context, { trigger: 'retention' }, async () => {
    await ready();
    return eraseExpiredContacts(new Date());
  });
