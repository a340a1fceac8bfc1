import type { RoleGrant } from '@mashang/shared';
import { K } from './keys';
import { getItem, queryPartition, strip, transact, update } from './table';
import { table } from './client';
import { decodeCursor, encodeCursor } from './paging';
import { grantItem } from './users';

/** An enterprise contact: a WeChat user bound to an enterprise (in the enterprise's partition). */
export interface ContactItem {
  enterpriseId: string;
  userId: string;
  name?: string;
  /** Encrypted; the contact's own phone if they gave one (SMS fallback of visit notices). */
  phone?: string;
  boundAt: string;
}

export const contactItem = (c: ContactItem) => ({ ...K.contact(c.enterpriseId, c.userId), type: 'contact', ...c });

/** What binding a contact creates, for the binding code's transaction: the contact and the user's enterprise grant. */
export const contactBindingItems = (c: ContactItem, grant: RoleGrant) => [contactItem(c), grantItem(c.userId, grant)];

export const getContact = (enterpriseId: string, userId: string) =>
  getItem<ContactItem>(K.contact(enterpriseId, userId));

/** Every contact of an enterprise (one Query on its partition; an enterprise has a handful). */
export async function allContacts(enterpriseId: string): Promise<ContactItem[]> {
  return (await queryPartition(K.enterprisePartition(enterpriseId), { skPrefix: K.contactPrefix })).map((i) =>
    strip<ContactItem>(i),
  );
}

/** One page of an enterprise's contacts, oldest binding first (the cursor is the last contact's key). */
export async function listContacts(enterpriseId: string, cursor: string | undefined, limit: number) {
  const all = await allContacts(enterpriseId);
  const start = decodeCursor(cursor, { pk: K.enterprisePartition(enterpriseId) });
  const from = start ? all.findIndex((c) => K.contact(c.enterpriseId, c.userId).sk === start.sk) + 1 : 0;
  const items = all.slice(from, from + limit);
  const last = items[items.length - 1];
  return {
    items,
    cursor:
      from + limit < all.length && last
        ? encodeCursor(K.contact(enterpriseId, last.userId) as unknown as Record<string, unknown>)
        : undefined,
  };
}

/** Unbind: the contact and the user's enterprise grant go together; false when the contact was not bound. */
export async function deleteContact(enterpriseId: string, userId: string, grant: RoleGrant): Promise<boolean> {
  const outcome = await transact([
    {
      Delete: { TableName: table(), Key: K.contact(enterpriseId, userId), ConditionExpression: 'attribute_exists(pk)' },
    },
    { Delete: { TableName: table(), Key: K.grant(userId, grant.role, grant.scope) } },
    // A grant went: the user's tokens from before stop working within a minute (lib/session grants version).
    update(K.user(userId), { set: 'ADD grantsVersion :one', values: { ':one': 1 } }),
  ]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`unbind transaction cancelled: ${outcome.reasons.join(',')}`);
}
