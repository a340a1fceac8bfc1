import { PHOTO_RULES } from '@mashang/shared';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpEvent } from '../../dev/http-event';
import { getCase } from '../../functions/src/data/cases';
import { get, mine as myCase } from '../../functions/src/handlers/cases';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { mine as myRatings } from '../../functions/src/handlers/ratings';
import { submit } from '../../functions/src/handlers/scan';
import { ratingsOfWindow } from '../../functions/src/handlers/registry';
import { photo } from '../../functions/src/handlers/uploads';
import { push } from '../../functions/src/handlers/wechat-events';
import { uploadFolderOf } from '../../functions/src/domain/photos';
import { getObjectBytes, headObject } from '../../functions/src/gateways/storage';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aBadRating, aScene, doAction } from '../support/flows';

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

/** A small JPEG as a phone writes it: an EXIF segment with a GPS position before the image data. */
function phoneJpeg(marker = ''): Buffer {
  const exif = Buffer.concat([Buffer.from('Exif\0\0GPSLatitude 37.3744N GPSLongitude 101.6233E'), Buffer.alloc(40, 1)]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16(exif.length + 2), exif]);
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb]), u16(67), Buffer.alloc(65, 3)]);
  const sos = Buffer.concat([Buffer.from([0xff, 0xda]), u16(8), Buffer.alloc(6, 0)]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    app1,
    dqt,
    sos,
    Buffer.alloc(900, 9),
    Buffer.from(marker),
    Buffer.from([0xff, 0xd9]),
  ]);
}
function u16(n: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** Ask for a ticket and upload the bytes as the device does; the key to name in a submission. */
async function uploaded(token: string, bytes: Buffer, contentType = 'image/jpeg'): Promise<string> {
  const t = await call(photo, { token, body: { contentType } });
  expect(t.status).toBe(201);
  const sent = await upload(t.body, bytes, contentType);
  expect(sent.status).toBeLessThan(300);
  return t.body.key;
}

/** WeChat's message push reaches the handler over HTTP, as API Gateway would hand it on. */
let pushServer: Server;
beforeAll(async () => {
  pushServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const r = await push(
        httpEvent({
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          ...(req.method === 'POST' ? { rawBody: Buffer.concat(chunks).toString('utf8') } : {}),
        }),
      );
      res.writeHead(r.statusCode ?? 200, r.headers as Record<string, string>);
      res.end(r.isBase64Encoded ? Buffer.from(String(r.body), 'base64') : r.body);
    });
  });
  await new Promise<void>((ok) => pushServer.listen(0, '127.0.0.1', ok));
  const port = (pushServer.address() as AddressInfo).port;
  await standin('/__dev/wechat/push-url', { url: `http://127.0.0.1:${port}/v1/wechat/events` });
});
afterAll(async () => {
  await standin('/__dev/wechat/push-url', { url: null });
  await new Promise((ok) => pushServer.close(ok));
});

async function standin(path: string, body?: unknown) {
  const r = await fetch(
    `${process.env.WECHAT_API_BASE}${path}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
  return r.json();
}

/** Wait until WeChat (the stand-in) pushed its verdict on each of these photos and the API took it. */
async function verdictsPushed(n: number, since: string) {
  for (let i = 0; i < 100; i++) {
    const checks = (await standin('/__dev/wechat/media-checks')) as {
      traceId: string;
      time: string;
      pushed?: { status: number; answer: string };
    }[];
    const mine = checks.filter((c) => c.time >= since);
    if (mine.length >= n && mine.every((c) => c.pushed?.status === 200)) return mine;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no verdict pushed');
}

const aComplaint = (code: string, photos: string[]) => ({
  requestId: requestId(),
  code,
  category: '服务意识不强',
  content: '窗口人员上班时间玩手机，群众排队无人理会，照片为证',
  anonymous: true,
  photos,
});

describe('photos on ratings, complaints and rectification reports', () => {
  test('when a 差评 names two uploads, then copies without the GPS EXIF are kept under keys that name nobody, the handler sees them by expiring links and window staff do not', async () => {
    const s = await aScene();
    const since = new Date().toISOString();
    const keys = [await uploaded(s.citizen.token, phoneJpeg()), await uploaded(s.citizen.token, phoneJpeg())];
    const r = await call(submit, {
      token: s.citizen.token,
      body: { requestId: requestId(), code: s.code, level: 1, reasons: ['推诿扯皮'], photos: keys },
    });
    expect(r.status).toBe(201);
    const kase = await getCase(r.body.caseId);
    expect(kase?.photos).toHaveLength(2);
    for (const p of kase!.photos!) {
      expect(p.key).toMatch(/^photos\/[A-Za-z0-9]+\.jpg$/);
      expect(p.key).not.toContain(s.citizen.userId);
      expect(p.key).not.toContain(uploadFolderOf(s.citizen.userId).slice(8, 28));
      const stored = (await getObjectBytes(p.key))!;
      expect(stored.includes(Buffer.from('GPSLatitude'))).toBe(false);
      expect(stored.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(stored.length).toBe(phoneJpeg().length - (phoneJpeg().indexOf(Buffer.from([0xff, 0xdb])) - 2));
    }
    await verdictsPushed(2, since);

    const asHandler = await call(get, { token: s.handler.token, params: { id: r.body.caseId } });
    expect(asHandler.body.photos).toHaveLength(2);
    expect(asHandler.body.photos[0]).toMatchObject({ by: 'filer' });
    expect(asHandler.body.photos[0].flag).toBeUndefined();
    expect(Date.parse(asHandler.body.photos[0].expiresAt) - Date.now()).toBeLessThanOrEqual(900_000 + 5000);
    const img = await fetch(asHandler.body.photos[0].url);
    expect(img.status).toBe(200);
    expect(Buffer.from(await img.arrayBuffer()).includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(JSON.stringify(asHandler.body.case)).not.toContain('photos/');

    const asStaff = await call(get, { token: s.staff.token, params: { id: r.body.caseId } });
    expect(asStaff.status).toBe(200);
    expect(asStaff.body.photos).toEqual([]);
  });

  test("when a submission names uploads it may not, then it is refused and nothing is stored: another person's, a fourth, the same twice, one never uploaded, not an image", async () => {
    const s = await aScene();
    const other = await loginAs(uniq('citizen-'));
    const theirs = await uploaded(other.token, phoneJpeg());
    const mine = await uploaded(s.citizen.token, phoneJpeg());
    const gif = await uploaded(s.citizen.token, Buffer.from('GIF89a not a jpeg at all'));
    const rate = (photos: string[]) =>
      call(submit, { token: s.citizen.token, body: { requestId: requestId(), code: s.code, level: 4, photos } });

    const someoneElses = await rate([theirs]);
    expect(someoneElses.status).toBe(400);
    expect(someoneElses.body.error.message).toBe('照片未上传成功，请重新选择');
    const four = await rate([mine, mine.replace(/.{8}\.jpg$/, '00000000.jpg'), mine, mine]);
    expect(four.status).toBe(400);
    expect(four.body.error.issues?.[0]?.message ?? four.body.error.message).toContain('最多上传 3 张照片');
    expect((await rate([mine, mine])).body.error.message).toBe('同一张照片不能重复添加');
    const never = mine.replace(/-[0-9a-f]{12}\.jpg$/, '-000000000000.jpg');
    expect((await rate([never])).body.error.message).toBe('照片未上传成功，请重新选择');
    expect((await rate([gif])).body.error.message).toBe('照片须为 JPEG 或 PNG 格式');
    expect((await rate(['photos/abc.jpg'])).status).toBe(400);

    // Nothing of those was stored: the same person's rating of the window today is still free, with its photo.
    const ok = await rate([mine]);
    expect(ok.status).toBe(201);
    expect(ok.body.caseId).toBeNull();
  });

  test("when WeChat pushes a risky verdict on a complaint's photo, then the photo is flagged for the inspector and kept: nothing is deleted or refused; the department never sees the evidence", async () => {
    const s = await aScene();
    const since = new Date().toISOString();
    const risky = await uploaded(s.citizen.token, phoneJpeg('RISKY-SAMPLE'));
    const clean = await uploaded(s.citizen.token, phoneJpeg());
    const filed = await call(submitComplaint, { token: s.citizen.token, body: aComplaint(s.code, [risky, clean]) });
    expect(filed.status).toBe(201);
    const caseId = filed.body.caseId;

    const checks = await verdictsPushed(2, since);
    expect(checks.every((c) => c.pushed!.status === 200 && c.pushed!.answer === 'success')).toBe(true);
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.photos).toHaveLength(2);
    const flagged = view.body.photos.filter((p: { flag?: string }) => p.flag === 'risky');
    expect(flagged).toHaveLength(1);
    expect((await fetch(flagged[0].url)).status).toBe(200);
    expect((await getCase(caseId))?.status).toBe('open');

    // The same verdict pushed again changes nothing; a push without WeChat's signature is refused.
    const pushed = checks[0];
    const forged = await call(push, {
      method: 'POST',
      query: { signature: 'f'.repeat(40), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '1' },
      rawBody: JSON.stringify({
        MsgType: 'event',
        Event: 'wxa_media_check',
        trace_id: pushed.traceId,
        result: { suggest: 'pass' },
      }),
    });
    expect(forged.status).toBe(401);
    const again = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(again.body.photos.filter((p: { flag?: string }) => p.flag === 'risky')).toHaveLength(1);

    await doAction(s.countyInspector.token, caseId, { type: 'forward', text: '请核查该窗口工作纪律' });
    const asHandler = await call(get, { token: s.handler.token, params: { id: caseId } });
    expect(asHandler.status).toBe(200);
    expect(asHandler.body.photos).toEqual([]);
  });

  test("when WeChat's image check cannot be reached, then the complaint is stored with its photo marked 未经安全检测", async () => {
    const s = await aScene();
    await fetch(`${process.env.WECHAT_API_BASE}/__dev/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'mediacheck', failNext: 1 }),
    });
    const key = await uploaded(s.citizen.token, phoneJpeg());
    const filed = await call(submitComplaint, { token: s.citizen.token, body: aComplaint(s.code, [key]) });
    expect(filed.status).toBe(201);
    const view = await call(get, { token: s.countyInspector.token, params: { id: filed.body.caseId } });
    expect(view.body.photos).toEqual([expect.objectContaining({ by: 'filer', flag: 'unchecked' })]);
  });

  test("when the handler reports the rectification with a photo, then every official of the case sees it as the report's; a report without photos works as before", async () => {
    const s = await aScene();
    const since = new Date().toISOString();
    const caseId = await aBadRating(s);
    const key = await uploaded(s.handler.token, phoneJpeg());
    const someoneElses = await doAction(s.handler.token, caseId, {
      type: 'rectification',
      report: '已对窗口人员批评教育，张贴一次性告知清单',
      photos: [await uploaded(s.citizen.token, phoneJpeg())],
    });
    expect(someoneElses.status).toBe(400);
    const done = await doAction(s.handler.token, caseId, {
      type: 'rectification',
      report: '已对窗口人员批评教育，张贴一次性告知清单',
      photos: [key],
    });
    expect(done.status).toBe(200);
    await verdictsPushed(1, since);
    for (const who of [s.countyInspector, s.handler, s.staff]) {
      const view = await call(get, { token: who.token, params: { id: caseId } });
      expect(view.body.photos).toEqual([expect.objectContaining({ by: 'rectification' })]);
      expect(view.body.photos[0].flag).toBeUndefined();
    }

    const s2 = await aScene();
    const plain = await aBadRating(s2);
    const report = await doAction(s2.handler.token, plain, { type: 'rectification', report: '已整改' });
    expect(report.status).toBe(200);
    expect((await call(get, { token: s2.handler.token, params: { id: plain } })).body.photos).toEqual([]);
  });
});

/** Issue 15: photos on a rating shown where the rating is read (本窗口评价, 我的), with the rating's own access rules. */
describe('photos where ratings are read', () => {
  type Listed = {
    id: string;
    caseId: string | null;
    photos?: { id: string; url: string; by: string; flag?: string }[];
  };
  const windowList = async (token: string, windowId: string) =>
    call(ratingsOfWindow, { token, params: { id: windowId } });

  test('when a 满意 rating (no case) has a photo, then its window staff, its department and the inspectors see it in the window ratings by an expiring link, the rater in 我的, and staff of another window nothing', async () => {
    const s = await aScene();
    const since = new Date().toISOString();
    const key = await uploaded(s.citizen.token, phoneJpeg());
    const r = await call(submit, {
      token: s.citizen.token,
      body: { requestId: requestId(), code: s.code, level: 4, photos: [key] },
    });
    expect(r.status).toBe(201);
    expect(r.body.caseId).toBeNull();
    await verdictsPushed(1, since);

    for (const who of [s.staff, s.handler, s.countyInspector]) {
      const list = await windowList(who.token, s.window.id);
      expect(list.status).toBe(200);
      const rated = (list.body.items as Listed[]).find((i) => i.id === r.body.rating.id)!;
      expect(rated.photos).toEqual([
        {
          id: expect.any(String),
          url: expect.stringContaining('/photos/'),
          expiresAt: expect.any(String),
          by: 'filer',
        },
      ]);
      const img = await fetch(rated.photos![0].url);
      expect(img.status).toBe(200);
      expect(Buffer.from(await img.arrayBuffer()).includes(Buffer.from('GPSLatitude'))).toBe(false);
    }
    const other = await aScene();
    expect((await windowList(other.staff.token, s.window.id)).status).toBe(404);

    const mine = await call(myRatings, { token: s.citizen.token });
    const own = (mine.body.items as Listed[]).find((i) => i.id === r.body.rating.id)!;
    expect(own.photos).toEqual([expect.objectContaining({ url: expect.stringContaining('/photos/'), by: 'filer' })]);
    expect(await (await fetch(own.photos![0].url)).status).toBe(200);

    // A rating without photos is listed as before.
    const plain = await aScene();
    await call(submit, { token: plain.citizen.token, body: { requestId: requestId(), code: plain.code, level: 5 } });
    const plainList = await windowList(plain.staff.token, plain.window.id);
    expect((plainList.body.items as Listed[])[0]).not.toHaveProperty('photos');
  });

  test("when a 差评 has a photo, then in the window ratings its department and the inspectors see it but its window staff do not (the case's evidence); the rater sees it in 我的 and on their case view, without the check's marks", async () => {
    const s = await aScene();
    const key = await uploaded(s.citizen.token, phoneJpeg('RISKY-SAMPLE'));
    const since = new Date().toISOString();
    const r = await call(submit, {
      token: s.citizen.token,
      body: { requestId: requestId(), code: s.code, level: 1, reasons: ['推诿扯皮'], photos: [key] },
    });
    expect(r.status).toBe(201);
    const caseId = r.body.caseId as string;
    await verdictsPushed(1, since);

    const asStaff = await windowList(s.staff.token, s.window.id);
    const seenByStaff = (asStaff.body.items as Listed[]).find((i) => i.id === r.body.rating.id)!;
    expect(seenByStaff.caseId).toBe(caseId);
    expect(seenByStaff).not.toHaveProperty('photos');
    for (const who of [s.handler, s.countyInspector]) {
      const list = await windowList(who.token, s.window.id);
      const rated = (list.body.items as Listed[]).find((i) => i.id === r.body.rating.id)!;
      expect(rated.photos).toEqual([expect.objectContaining({ by: 'filer', flag: 'risky' })]);
    }

    const mine = await call(myRatings, { token: s.citizen.token });
    const own = (mine.body.items as Listed[]).find((i) => i.id === r.body.rating.id)!;
    expect(own.photos).toHaveLength(1);
    expect(own.photos![0]).not.toHaveProperty('flag');
    const view = await call(myCase, { token: s.citizen.token, params: { id: caseId } });
    expect(view.status).toBe(200);
    expect(view.body.photos).toEqual([
      { id: own.photos![0].id, url: expect.stringContaining('/photos/'), expiresAt: expect.any(String), by: 'filer' },
    ]);
    expect(await (await fetch(view.body.photos[0].url)).status).toBe(200);
    // Someone else asking for that case view gets nothing.
    const stranger = await loginAs(uniq('citizen-'));
    expect((await call(myCase, { token: stranger.token, params: { id: caseId } })).status).toBe(404);
  });
});
