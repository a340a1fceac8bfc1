import '../domain/grants';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ExportRequest } from '@mashang/shared';
import * as z from 'zod/mini';
import { getExportView, listExportViews, retryExportFor, runExportJob, startExport } from '../domain/exports';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { logger } from '../lib/logger';
import { parseWith } from '../lib/validate';

const JobParam = z.object({ id: z.string().check(z.regex(/^[0-9a-f]{26}$/, '任务编号格式不正确')) });

/** POST /v1/exports {requestId, kind, format, scope?, from, to} (inspectors, operators): 202, the file is written outside the request. */
export const create = httpWrite(
  202,
  async (req) => startExport(await req.session(), parseWith(ExportRequest, req.body), new Date()),
  { keepRequestId: true },
);

/** GET /v1/exports?cursor= */
export const list = http(async (req) => {
  const q = parseWith(z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) }), req.query);
  return { body: await listExportViews(await req.session(), q.cursor) };
});

/** GET /v1/exports/{id}: state, rows written, and when done an expiring link to the file. */
export const get = http(async (req) => ({
  body: await getExportView(await req.session(), parseWith(JobParam, req.params).id),
}));

/** POST /v1/exports/{id}/retry: run a failed export again. */
export const retry = httpWrite(202, async (req) =>
  retryExportFor(await req.session(), parseWith(JobParam, req.params).id),
);

/** The export worker: woken by an export job record in state `running` (INSERT, or a retry's MODIFY). */
export const onStream = async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image || image.type?.S !== 'exportjob' || image.state?.S !== 'running' || !image.id?.S) continue;
    try {
      const state = await runExportJob(image.id.S);
      logger.info('export job run', { exportJobId: image.id.S, state });
    } catch (e) {
      logger.error('export job failed', e as Error);
    }
  }
};
