import {
  applyCounterSlice,
  counterItemCount,
  MAX_COUNTER_ITEMS_PER_SLICE,
  readStreamMark,
  type CounterChange,
} from '../data/stats';
import { countersOfInsert, countersOfRemove } from './counters';

/** The consumer name of the day-counter aggregation (its high-water marks are kept under it). */
export const COUNTERS_CONSUMER = 'counters';

/** One INSERT (its new image) or REMOVE (its old image) from the table's stream, with its sequence number in the shard. */
export interface StreamChange {
  seq: string;
  image: Record<string, unknown>;
  removed?: boolean;
}

export interface CounterPorts {
  readStreamMark: typeof readStreamMark;
  applyCounterSlice: typeof applyCounterSlice;
}

const ports: CounterPorts = { readStreamMark, applyCounterSlice };

const after = (seq: string, mark: string | undefined) => mark === undefined || BigInt(seq) > BigInt(mark);

/**
 * Count a batch of one stream shard, exactly once: records at or below the shard's high-water mark were counted by
 * an earlier delivery and are skipped; the rest are summed per (scope, day) and applied in as few transactions as
 * the 100-item limit allows, each moving the mark from the value read to its last sequence number in the same
 * transaction (so a redelivered or concurrent batch never adds twice). The hottest counters (prefecture, province)
 * get one write per slice of a batch instead of one per rating.
 */
export async function countStreamBatch(
  shardId: string,
  records: StreamChange[],
  p: CounterPorts = ports,
): Promise<{ counted: number; skipped: number; transactions: number }> {
  const withChanges = records.map((r) => ({
    seq: r.seq,
    changes: r.removed ? countersOfRemove(r.image) : countersOfInsert(r.image),
  }));
  for (let attempt = 0; attempt < 8; attempt++) {
    let mark = await p.readStreamMark(COUNTERS_CONSUMER, shardId);
    const fresh = withChanges.filter((r) => after(r.seq, mark));
    const skipped = withChanges.length - fresh.length;
    let transactions = 0;
    let stale = false;
    let slice: CounterChange[] = [];
    let last: string | undefined;
    const flush = async (): Promise<boolean> => {
      if (!last || slice.length === 0) return true;
      const r = await p.applyCounterSlice(COUNTERS_CONSUMER, shardId, mark, last, slice);
      if (r !== 'stored') return false;
      transactions++;
      mark = last;
      slice = [];
      return true;
    };
    for (const r of fresh) {
      if (r.changes.length && counterItemCount([...slice, ...r.changes]) > MAX_COUNTER_ITEMS_PER_SLICE) {
        if (!(await flush())) {
          stale = true;
          break;
        }
      }
      slice.push(...r.changes);
      last = r.seq;
    }
    if (!stale && (await flush())) {
      return { counted: fresh.filter((r) => r.changes.length).length, skipped, transactions };
    }
    // Another delivery of this shard moved the mark (or conflicted): read it again and count only what is left.
    await new Promise((res) => setTimeout(res, 20 + Math.random() * 50 * (attempt + 1)));
  }
  throw new Error(`counting stream batch of shard ${shardId}: the mark kept moving`);
}
