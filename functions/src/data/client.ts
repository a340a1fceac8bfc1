import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

/**
 * One client per process, created on first use. Locally `AWS_ENDPOINT_URL_DYNAMODB` points the SDK at
 * DynamoDB Local; no endpoint code here.
 */
let doc: DynamoDBDocumentClient | undefined;
export function db(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return doc;
}

export const table = () => config().TABLE_NAME;
