import { db } from '../../functions/src/data/client';

/** One DynamoDB request as DynamoDB itself reported it (used by the benchmark, scripts/bench). */
export interface DbRequestRecord {
  command: string;
  /** Capacity units DynamoDB reported (table + indexes); 0 when the request failed (DynamoDB reports none then). */
  capacityUnits: number;
  /** The table's own share of capacityUnits (the rest is the indexes'). */
  tableUnits: number;
  indexUnits: number;
  /**
   * TransactWriteItems only: the approximate size in bytes of each Put's item (-1 for an Update, Delete or
   * ConditionCheck, whose stored size the request does not show), so capacity can be checked per item.
   */
  transactItemBytes?: number[];
  error?: string;
}

const METERED = new Set(
  [
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'Query',
    'Scan',
    'BatchGetItem',
    'BatchWriteItem',
    'TransactGetItems',
    'TransactWriteItems',
    'ExecuteStatement',
    'BatchExecuteStatement',
    'ExecuteTransaction',
  ].map((c) => `${c}Command`),
);

/**
 * Opt-in instrumentation for the benchmark: every DynamoDB request this process makes afterwards asks for
 * `ReturnConsumedCapacity: INDEXES` and is reported to `onRequest`. Production code never calls it, so production
 * requests are unchanged. Returns a function that removes the hook.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html
 */
export function instrumentDb(onRequest: (r: DbRequestRecord) => void): () => void {
  const name = 'benchConsumedCapacity';
  const stack = db().middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      if (!METERED.has(command)) return next(args);
      const items = (args.input as { TransactItems?: { Put?: { Item?: unknown } }[] }).TransactItems;
      const transactItemBytes =
        command === 'TransactWriteItemsCommand' && items
          ? items.map((t) => (t.Put?.Item ? Buffer.byteLength(JSON.stringify(t.Put.Item)) : -1))
          : undefined;
      try {
        const out = await next({ ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'INDEXES' } });
        const raw = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as {
          CapacityUnits?: number;
          Table?: { CapacityUnits?: number };
          GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
        }[];
        let capacityUnits = 0;
        let tableUnits = 0;
        let indexUnits = 0;
        for (const c of list) {
          capacityUnits += c.CapacityUnits ?? 0;
          tableUnits += c.Table?.CapacityUnits ?? 0;
          for (const g of Object.values(c.GlobalSecondaryIndexes ?? {})) indexUnits += g.CapacityUnits ?? 0;
        }
        onRequest({
          command: command.replace(/Command$/, ''),
          capacityUnits,
          tableUnits,
          indexUnits,
          transactItemBytes,
        });
        return out;
      } catch (e) {
        onRequest({
          command: command.replace(/Command$/, ''),
          capacityUnits: 0,
          tableUnits: 0,
          indexUnits: 0,
          transactItemBytes,
          error: (e as Error).name,
        });
        throw e;
      }
    },
    { step: 'initialize', name, priority: 'high', override: true },
  );
  return () => {
    stack.remove(name);
  };
}
