import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { K } from './keys';
import { putNew, type TxItem } from './table';

/** A reminder letter (工作提示函), stored in its case's partition. */
export interface LetterItem {
  caseId: string;
  no: string;
  recipient: string;
  text: string;
  issuer: string;
  issuedAt: string;
  issuedBy: string;
}

export const letterWrite = (l: LetterItem): TxItem => putNew({ ...K.letter(l.caseId, l.no), type: 'letter', ...l });

/** The next number of a reminder letter for an issuer and year (an atomic counter). */
export async function nextLetterNumber(issuer: string, year: number): Promise<number> {
  const r = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: K.letterSeq(issuer, year),
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.n);
}
