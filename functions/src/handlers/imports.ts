import '../domain/grants';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { IMPORT_KINDS, ImportUpload } from '@mashang/shared';
import * as z from 'zod/mini';
import { importTemplate } from '../domain/import-file';
import {
  commitImport,
  dryRunImport,
  getImportView,
  importErrorReport,
  listImportViews,
  runImportCommit,
} from '../domain/imports';
import { forbidden } from '../lib/errors';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { logger } from '../lib/logger';
import { parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().check(z.regex(/^[0-9a-z]{26}$/, '导入编号格式不正确')) });
const TemplateQuery = z.strictObject({
  format: z._default(z.enum(['xlsx', 'csv'], { error: '格式须为 xlsx 或 csv' }), 'xlsx'),
  kind: z.optional(z.enum(IMPORT_KINDS, { error: '类别须为 departments、windows 或 enterprises' })),
});

/** GET /v1/imports/template?format=xlsx|csv&kind= (operators) */
export const template = http(async (req) => {
  const s = await req.session();
  if (!s.grants.some((g) => g.role === 'operator')) throw forbidden();
  const q = parseWith(TemplateQuery, req.query);
  const data = await importTemplate(q.format, q.kind);
  return {
    binary: {
      contentType:
        q.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      data,
      filename: q.format === 'csv' ? `登记导入模板-${q.kind ?? 'windows'}.csv` : '登记导入模板.xlsx',
    },
  };
});

/** POST /v1/imports {fileName, kind?, contentBase64} (operators): the dry run. */
export const dryRun = httpWrite(201, async (req) =>
  dryRunImport(await req.session(), parseWith(ImportUpload, req.body), new Date()),
);

/** GET /v1/imports?cursor= (operators) */
export const list = http(async (req) => {
  const q = parseWith(z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) }), req.query);
  return { body: await listImportViews(await req.session(), q.cursor) };
});

/** GET /v1/imports/{id} (operators): state, counts, report, progress. */
export const get = http(async (req) => ({
  body: await getImportView(await req.session(), parseWith(IdParam, req.params).id),
}));

/** GET /v1/imports/{id}/errors.csv (operators): the per-row error report. */
export const errors = http(async (req) => {
  const id = parseWith(IdParam, req.params).id;
  return {
    binary: {
      contentType: 'text/csv; charset=utf-8',
      data: await importErrorReport(await req.session(), id),
      filename: `导入错误报告-${id}.csv`,
    },
  };
});

/** POST /v1/imports/{id}/commit (operators): 202; the stream worker applies the rows. */
export const commit = httpWrite(202, async (req) =>
  commitImport(await req.session(), parseWith(IdParam, req.params).id, new Date()),
);

/**
 * The commit worker: woken by the import record's stream change to state `committing` (also filtered in
 * serverless.yml). A failure marks the import failed (a second commit resumes it); the stream does not retry.
 */
export const onStream = async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image || image.type?.S !== 'import' || image.state?.S !== 'committing' || !image.id?.S) continue;
    try {
      const state = await runImportCommit(image.id.S);
      logger.info('import commit run', { importId: image.id.S, state });
    } catch (e) {
      logger.error('import commit failed', e as Error);
    }
  }
};
