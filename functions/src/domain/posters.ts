import { canAccess } from '@mashang/shared';
import { getDepartment, getWindow } from '../data/registry';
import { downloadUrl, putObject } from '../gateways/storage';
import { AppError, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { recordAudit, actorOf } from './audit';
import { renderPosters } from './poster-pdf';
import { codeLink } from './registry-admin';

/**
 * One window's poster: rendered in the request (about a second), stored in object storage under the code it
 * carries, answered with an expiring download link. Audited.
 */
export async function windowPoster(
  session: Session,
  id: string,
  now: Date,
): Promise<{ url: string; expiresAt: string; key: string }> {
  const w = (await getWindow(id)) as (Awaited<ReturnType<typeof getWindow>> & { status?: string }) | undefined;
  if (!w || !canAccess(session.grants, ['operator'], w.path)) throw notFound('窗口');
  if (w.status === 'retired') throw new AppError('CONFLICT', '窗口已停用，不能打印海报');
  const dept = await getDepartment(w.department.id);
  const pdf = await renderPosters([
    { name: w.name, department: dept?.name ?? w.department.name, county: w.county.name, link: codeLink(w.code) },
  ]);
  const key = `posters/windows/${w.id}/${w.codeId}.pdf`;
  await putObject(key, pdf, 'application/pdf');
  await recordAudit(
    {
      actor: actorOf(session, ['operator'], w.path),
      action: 'poster.generate',
      target: { kind: 'window', id: w.id, name: w.name },
      scope: w.path,
      after: { code: w.code, bytes: pdf.byteLength },
    },
    now,
  );
  return { key, ...(await downloadUrl(key, { filename: `监督码海报-${w.name}.pdf`, expiresInSeconds: 900 })) };
}
