import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { localClient, tableDefinitionFromServerlessYml } from '../../dev/dynamodb-local';
import { log } from './common';

/**
 * A table of the bench's own in the system's DynamoDB Local (serverless.yml's definition), so floors, cost
 * measurements and 100 000 ratings' worth of counters never land in the table the running system shows. Deleted at
 * the end of the run.
 *
 * `stream: false` for the load floors: on DynamoDB Local a table whose stream nobody polls writes several times
 * slower (measured: TransactWriteItems ≈ 15 ms without a stream, ≈ 100 ms with an unread one), which would flatter the
 * API. The cost table keeps its stream: the bench reads it to feed the stream function.
 */
export class BenchTable {
  readonly name: string;
  private created = false;
  constructor(
    readonly endpoint: string,
    private readonly opts: { stream: boolean; suffix: string },
  ) {
    this.name = `mashang-bench-${opts.suffix}-${Date.now().toString(36)}`;
  }

  async ensure(): Promise<string> {
    if (!this.created) {
      const def = tableDefinitionFromServerlessYml(this.name).create;
      await localClient(this.endpoint).send(new CreateTableCommand(this.opts.stream ? def : { ...def, StreamSpecification: undefined }));
      this.created = true;
      log(`created table ${this.name}${this.opts.stream ? ' (with stream)' : ''} in ${this.endpoint}`);
    }
    return this.name;
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
