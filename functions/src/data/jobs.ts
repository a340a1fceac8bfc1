import type { AuditEntry } from '@mashang/shared';
import { auditPut } from './audit';
import type { Key } from './keys';
import { transact, update, type TxItem } from './table';

/**
 * A background job's record (an import, a poster batch) leaves its working state `from` for done/failed with its
 * result fields, and its audit entry is written in the same transaction. A second run that finished first (the
 * record is no longer in `from`), or an audit entry already written, leaves everything as it is; any other
 * cancellation is thrown, naming `what`.
 */
export async function finishJob(
  key: Key,
  from: string,
  state: 'done' | 'failed',
  fields: Record<string, unknown>,
  audit: AuditEntry | undefined,
  what: string,
): Promise<void> {
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = { ':state': state, ':from': from };
  const sets = ['#state = :state'];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = :f${i}`);
  });
  const items: TxItem[] = [update(key, { set: `SET ${sets.join(', ')}`, condition: '#state = :from', names, values })];
  if (audit) items.push(auditPut(audit));
  const outcome = await transact(items);
  if (outcome !== 'stored' && !outcome.reasons.includes('ConditionalCheckFailed'))
    throw new Error(`${what} finish cancelled: ${outcome.reasons.join(',')}`);
}
