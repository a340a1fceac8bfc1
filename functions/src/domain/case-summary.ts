import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../data/client';
import { K } from '../data/keys';

/** The few case fields an alert message shows, for retries that start from the alert alone. */
export async function loadCaseSummary(caseId: string): Promise<{ summary: string; windowName?: string; source: 'rating' | 'complaint' | 'visit' }> {
  const r = await db().send(new GetCommand({ TableName: table(), Key: K.case(caseId), ProjectionExpression: 'summary, #w, #s', ExpressionAttributeNames: { '#w': 'window', '#s': 'source' } }));
  return { summary: String(r.Item?.summary ?? ''), windowName: r.Item?.window?.name, source: r.Item?.source ?? 'rating' };
}
