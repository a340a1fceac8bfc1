import { escalateOverdue } from '../domain/escalation';

/**
 * Every 5 minutes: overdue cases escalate. Its alerts leave through the outbox (the stream function sends them), so
 * this bundle carries no sending code.
 */
export const escalate = async () => escalateOverdue(new Date());
