import '../domain/grants';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { PosterJobRequest } from '@mashang/shared';
import * as z from 'zod/mini';
import {
  getPosterJobView,
  listPosterJobViews,
  retryPosterJobFor,
  runPosterJob,
  startPosterJob,
} from '../domain/poster-jobs';
import { windowPoster } from '../domain/posters';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { logger } from '../lib/logger';
import { parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确')) });
const JobParam = z.object({ id: z.string().check(z.regex(/^[0-9a-f]{26}$/, '任务编号格式不正确')) });

/** POST /v1/windows/{id}/poster (operators): the window's A4 poster PDF → {url (expiring), expiresAt}. */
export const windowPosterPdf = httpWrite(201, async (req) =>
  windowPoster(await req.session(), parseWith(IdParam, req.params).id, new Date()),
);

/** POST /v1/poster-jobs {requestId, departmentId? | countyId?} (operators): 202, the job renders outside the request. */
export const createJob = httpWrite(
  202,
  async (req) => startPosterJob(await req.session(), parseWith(PosterJobRequest, req.body), new Date()),
  { keepRequestId: true },
);

/** GET /v1/poster-jobs?cursor= (operators) */
export const listJobs = http(async (req) => {
  const q = parseWith(z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) }), req.query);
  return { body: await listPosterJobViews(await req.session(), q.cursor) };
});

/** GET /v1/poster-jobs/{id} (operators): state, progress, and when done an expiring link to the zip. */
export const getJob = http(async (req) => ({
  body: await getPosterJobView(await req.session(), parseWith(JobParam, req.params).id),
}));

/** POST /v1/poster-jobs/{id}/retry (operators): run a failed job again (what it rendered is kept). */
export const retryJob = httpWrite(202, async (req) =>
  retryPosterJobFor(await req.session(), parseWith(JobParam, req.params).id),
);

/** The job worker: woken by a poster job record in state `running` (INSERT, or a retry's MODIFY). */
export const onStream = async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image || image.type?.S !== 'posterjob' || image.state?.S !== 'running' || !image.id?.S) continue;
    try {
      const state = await runPosterJob(image.id.S);
      logger.info('poster job run', { posterJobId: image.id.S, state });
    } catch (e) {
      logger.error('poster job failed', e as Error);
    }
  }
};
