import { PHOTO_RULES } from '@mashang/shared';
import { photo } from '../../functions/src/handlers/uploads';
import { uploadFolderOf } from '../../functions/src/domain/photos';
import { headObject } from '../../functions/src/gateways/storage';
import { call, loginAs, uniq } from '../support/api';

/** Send a file to a presigned POST exactly as wx.uploadFile / a browser form does (multipart, the file last). */
async function upload(ticket: { url: string; fields: Record<string, string> }, bytes: Buffer, type = 'image/jpeg') {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), 'photo.jpg');
  return fetch(ticket.url, { method: 'POST', body: form });
}

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x04, 0x00, 0x00]), Buffer.alloc(2000, 7)]);

/** Issue 15 item 7, the upload: a presigned POST straight to object storage (s3rver here, S3 deployed). */
describe('photo uploads', () => {
  test('when a signed-in citizen asks for an upload, then a presigned POST for their own folder comes back, its policy pins type and size, and the photo lands in storage', async () => {
    const citizen = await loginAs(uniq('citizen-'));
    const res = await call(photo, { token: citizen.token, body: { contentType: 'image/jpeg' } });
    expect(res.status).toBe(201);
    expect(res.body.key.startsWith(uploadFolderOf(citizen.userId))).toBe(true);
    expect(res.body.key).toMatch(/\.jpg$/);
    expect(res.body.key).not.toContain(citizen.userId);
    expect(res.body.maxBytes).toBe(PHOTO_RULES.maxBytes);
    expect(res.body.fields).toMatchObject({ key: res.body.key, 'Content-Type': 'image/jpeg' });

    const policy = JSON.parse(Buffer.from(res.body.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, PHOTO_RULES.maxBytes],
        ['eq', '$Content-Type', 'image/jpeg'],
        { key: res.body.key },
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(PHOTO_RULES.ticketSeconds * 1000 + 5000);

    const sent = await upload(res.body, JPEG);
    expect(sent.status).toBeLessThan(300);
    expect(await headObject(res.body.key)).toMatchObject({ size: JPEG.length, contentType: 'image/jpeg' });

    // s3rver stores what it is sent without checking the policy; S3 refuses a file over the size range or of another
    // type by this signed policy (asserted above), which is what the deployed system relies on.
  });

  test('when the request is wrong, then nothing is signed: another type 400, no login 401', async () => {
    const citizen = await loginAs(uniq('citizen-'));
    const gif = await call(photo, { token: citizen.token, body: { contentType: 'image/gif' } });
    expect(gif.status).toBe(400);
    expect(gif.body.error.message).toBe('照片须为 JPEG 或 PNG 格式');
    expect((await call(photo, { body: { contentType: 'image/jpeg' } })).status).toBe(401);
  });
});
