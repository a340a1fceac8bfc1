import { timingSafeEqual } from 'node:crypto';
import { PHOTO_KEY_MESSAGE, PHOTO_RULES, type PhotoFlag, type PhotoRef, type PhotoView } from '@mashang/shared';
import { config } from '../config';
import { photoChecks, photoOfTrace, recordPhotoCheck, setPhotoVerdict, type PhotoItem } from '../data/photos';
import { getUser } from '../data/users';
import { downloadUrl, getObjectBytes, putObject } from '../gateways/storage';
import { checkMediaAsync } from '../gateways/wechat';
import { requestFingerprint, wechatPushSignature, wechatPushToken } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { logger } from '../lib/logger';
import { stripJpegMetadata, uploadFolderOf } from './photos';

/**
 * Photos as evidence (SPEC §2.2–§2.4, issue 15 item 7). The device uploads each photo straight to object storage
 * (POST /v1/uploads); a submission (rating, complaint, rectification report) then names up to 3 upload keys. Here the
 * server takes them: only keys in the caller's own upload folder, each present, at most 2 MB, really a JPEG or PNG
 * (s3rver does not enforce the POST policy, and a policy cannot look inside the file). Each is copied to
 * `photos/<id>.<ext>` with its EXIF (GPS position), XMP and comments stripped — server side, after the upload, so a
 * device that skipped the stripping cannot leak its position. The id is a keyed hash of the upload key: neither the
 * key nor the object's metadata names who took it, and a retried submission copies to the same object.
 */
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Buffer, sig: number[]) => sig.every((v, i) => b[i] === v);

/** How long a WeChat checker or an official may fetch a photo by its link. */
const CHECK_LINK_SECONDS = 3600;
const VIEW_LINK_SECONDS = 900;

export async function takePhotos(userId: string, keys: readonly string[] | undefined): Promise<PhotoRef[]> {
  if (!keys || keys.length === 0) return [];
  if (keys.length > PHOTO_RULES.maxPerItem)
    throw new AppError('VALIDATION_FAILED', `最多上传 ${PHOTO_RULES.maxPerItem} 张照片`);
  if (new Set(keys).size !== keys.length) throw new AppError('VALIDATION_FAILED', '同一张照片不能重复添加');
  const folder = uploadFolderOf(userId);
  // Someone else's upload is refused exactly like a missing one: the answer says nothing about other folders.
  if (keys.some((k) => !k.startsWith(folder))) throw new AppError('VALIDATION_FAILED', PHOTO_KEY_MESSAGE);
  return Promise.all(
    keys.map(async (key) => {
      const bytes = await getObjectBytes(key);
      if (!bytes || bytes.length === 0) throw new AppError('VALIDATION_FAILED', PHOTO_KEY_MESSAGE);
      if (bytes.length > PHOTO_RULES.maxBytes) throw new AppError('VALIDATION_FAILED', '照片不能超过 2 MB');
      const png = key.endsWith('.png');
      if (!startsWith(bytes, png ? PNG : JPEG)) throw new AppError('VALIDATION_FAILED', '照片须为 JPEG 或 PNG 格式');
      const id = requestFingerprint(`photo|${key}`).slice(0, 24).replace(/[-_]/g, 'x');
      const stored = `photos/${id}.${png ? 'png' : 'jpg'}`;
      await putObject(stored, png ? bytes : stripJpegMetadata(bytes), png ? 'image/png' : 'image/jpeg');
      return { id, key: stored };
    }),
  );
}

/**
 * Hand each stored photo to WeChat's asynchronous image check (media_check_async) and record that it is pending.
 * Called after the submission is stored; never fails it: a photo whose check cannot start is recorded `unchecked`
 * and shown to officials with that mark (a complaint's evidence is never refused or deleted for it).
 */
export async function startPhotoChecks(
  userId: string,
  photos: readonly PhotoRef[],
  attachedTo: { caseId?: string; ratingId?: string },
  now: Date,
): Promise<void> {
  if (photos.length === 0) return;
  const openid = await getUser(userId)
    .then((u) => u?.openid)
    .catch(() => undefined);
  await Promise.all(
    photos.map(async (p) => {
      let traceId: string | undefined;
      try {
        if (!openid) throw new Error('no openid for the uploader');
        const { url } = await downloadUrl(p.key, { expiresInSeconds: CHECK_LINK_SECONDS });
        traceId = await checkMediaAsync(url, openid);
      } catch (e) {
        logger.warn('photo check could not start; photo kept and flagged unchecked', {
          photoId: p.id,
          error: (e as Error).message,
        });
      }
      try {
        await recordPhotoCheck({
          id: p.id,
          key: p.key,
          ...attachedTo,
          check: traceId ? 'pending' : 'unchecked',
          ...(traceId ? { traceId } : {}),
          createdAt: now.toISOString(),
        });
      } catch (e) {
        // The photo stays attached; without a record it is shown as unchecked (photoViews).
        logger.warn('photo check not recorded', { photoId: p.id, error: (e as Error).message });
      }
    }),
  );
}

/**
 * Photos as officials see them: expiring links, who attached them, and the check's mark when there is one. With
 * `checks: false` (the person who took them) no mark and no read of the checks.
 */
export async function photoViews(
  groups: { by: PhotoView['by']; photos: readonly PhotoRef[] }[],
  opts: { checks?: boolean } = {},
): Promise<PhotoView[]> {
  const all = groups.flatMap((g) => g.photos.map((p) => ({ ...p, by: g.by })));
  if (all.length === 0) return [];
  const withChecks = opts.checks !== false;
  const checks = withChecks ? await photoChecks(all.map((p) => p.id)) : new Map<string, PhotoItem>();
  return Promise.all(
    all.map(async (p): Promise<PhotoView> => {
      const { url, expiresAt } = await downloadUrl(p.key, { expiresInSeconds: VIEW_LINK_SECONDS });
      const check = checks.get(p.id)?.check ?? 'unchecked';
      return {
        id: p.id,
        url,
        expiresAt,
        by: p.by,
        ...(!withChecks ? {} : check === 'pending' ? { checking: true } : check === 'pass' ? {} : { flag: check }),
      };
    }),
  );
}

/**
 * The photos of several ratings at once (a page of a list): one read of the checks for all of them, each rating's
 * views in its own list (by id; ratings without photos are absent).
 */
export async function ratingPhotoViews(
  ratings: readonly { id: string; photos?: readonly PhotoRef[] }[],
  opts: { checks?: boolean } = {},
): Promise<Map<string, PhotoView[]>> {
  const withPhotos = ratings.filter((r) => r.photos?.length);
  const views = await photoViews(
    withPhotos.map((r) => ({ by: 'filer' as const, photos: r.photos ?? [] })),
    opts,
  );
  const out = new Map<string, PhotoView[]>();
  let i = 0;
  for (const r of withPhotos) {
    const n = r.photos?.length ?? 0;
    out.set(r.id, views.slice(i, i + n));
    i += n;
  }
  return out;
}

/** The parts of a pushed message the API reads (JSON data format of the message push). */
interface MediaCheckEvent {
  MsgType?: string;
  Event?: string;
  trace_id?: string;
  result?: { suggest?: string; label?: string | number };
}

const PUSH_SKEW_SECONDS = 300;

/**
 * WeChat's message push (消息推送, plain-text mode, JSON): every request is signed with the Token (signature =
 * SHA-1 of Token, timestamp and nonce); a GET with `echostr` is the URL check when the push URL is configured.
 * A `wxa_media_check` event stores the verdict on its photo: risky or review FLAGS it for the officials, nothing is
 * ever deleted or refused. The same event pushed again stores nothing new. Answers "success" as WeChat expects; an
 * unknown trace id is answered 404, so WeChat pushes it again.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
 */
export async function receiveWechatPush(
  query: Record<string, string | undefined>,
  body: unknown,
  method: string,
  now: Date,
): Promise<string> {
  const { signature = '', timestamp = '', nonce = '' } = query;
  const expected = wechatPushSignature(wechatPushToken(config().WECHAT_SECRET), timestamp, nonce);
  const ok = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  if (!ok) throw new AppError('SIGNATURE_INVALID', '签名无效');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > PUSH_SKEW_SECONDS)
    throw new AppError('TIMESTAMP_SKEW', '时间戳已过期');
  if (method === 'GET') return query.echostr ?? '';
  const event = (body ?? {}) as MediaCheckEvent;
  if (event.MsgType !== 'event' || event.Event !== 'wxa_media_check' || !event.trace_id) return 'success';
  const photoId = await photoOfTrace(event.trace_id);
  if (!photoId) {
    // The verdict can outrun the record of its trace id (written when media_check_async answered): not "success",
    // so WeChat pushes it again (it retries a push three times).
    logger.warn('media check result for a trace id not (yet) recorded', { traceId: event.trace_id });
    throw new AppError('NOT_FOUND', '未知的检测任务');
  }
  const suggest = event.result?.suggest;
  const verdict: 'pass' | PhotoFlag = suggest === 'pass' || suggest === 'risky' ? suggest : 'review';
  const stored = await setPhotoVerdict(photoId, verdict, now.toISOString());
  logger.info('media check verdict', { photoId, verdict, stored });
  return 'success';
}
