import { CreateTableCommand, DeleteTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { localClient, tableDefinitionFromServerlessYml } from '../../dev/dynamodb-local';
import { log } from './common';

/**
 * A table of the bench's own in the system's DynamoDB Local (serverless.yml's definition), so floors, cost
 * measurements and 100 000 ratings' worth of counters never land in the table the running system shows. Deleted at
 * the end of the run.
 *
 * Tables start without a stream: on DynamoDB Local a table whose stream nobody polls writes several times slower
 * (measured here: TransactWriteItems ≈ 15 ms without a stream, ≈ 100 ms with an unread one), which would flatter the
 * API beside its floor and make seeding slow. The cost table gets its stream after seeding (`enableStream`): the
 * bench reads it to feed the stream function.
 */
export class BenchTable {
  readonly name: string;
  private created = false;
  constructor(
    readonly endpoint: string,
    private readonly opts: { suffix: string },
  ) {
    this.name = `mashang-bench-${opts.suffix}-${Date.now().toString(36)}`;
  }

  async ensure(): Promise<string> {
    if (!this.created) {
      const def = tableDefinitionFromServerlessYml(this.name).create;
      await localClient(this.endpoint).send(new CreateTableCommand({ ...def, StreamSpecification: undefined }));
      this.created = true;
      log(`created table ${this.name} in ${this.endpoint}`);
    }
    return this.name;
  }

  /** Turn the table's stream on (serverless.yml's view type), from now on. */
  async enableStream(): Promise<void> {
    const def = tableDefinitionFromServerlessYml(this.name).create;
    await localClient(this.endpoint).send(
      new UpdateTableCommand({ TableName: this.name, StreamSpecification: def.StreamSpecification }),
    );
  }

  async drop(): Promise<void> {
    if (!this.created) return;
    try {
      await localClient(this.endpoint).send(new DeleteTableCommand({ TableName: this.name }));
      this.created = false;
      log(`deleted table ${this.name}`);
    } catch (e) {
      log(`could not delete table ${this.name}: ${(e as Error).message}`);
    }
  }
}
