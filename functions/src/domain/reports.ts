import {
  percent,
  PREFECTURE_ID,
  REGIONS,
  RequestId,
  reportSentences,
  shanghaiDate,
  type MonthlyReportStored,
  type ReportFigures,
  type ReportRow,
} from '@mashang/shared';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { getDepartment } from '../data/registry';
import { getReport, storeReport, type ReportRecord } from '../data/reports';
import { getStoredRequest } from '../data/requests';
import { sumDayCounts, unitsUnder } from '../data/stats';
import { putObject } from '../gateways/storage';
import { AppError } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorOf, auditEntry } from './audit';
import { readableScope } from './case-views';
import { scopeNameOf } from './exports';
import { onceOnly, type RequestTicket } from './idempotency';
import { monthField, REPORT_ROLES, scopeField } from './report-content';
import { renderReportPdf } from './report-pdf';

const GenerateRequest = z.strictObject({
  requestId: RequestId,
  scope: scopeField,
  month: monthField,
  /** Replace a stored report with one computed from today's counters (explicit, audited). */
  regenerate: z.optional(z.boolean({ error: 'regenerate 须为 true 或 false' })),
});

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** The figures of one scope over the period: ONE Query of its day counters (≤ 31 items). */
async function figuresOf(path: string, from: string, to: string): Promise<ReportFigures> {
  const c = await sumDayCounts(path, from, to);
  return {
    ratings: c.ratings,
    citizen: c.ratings - c.entRatings,
    enterprise: c.entRatings,
    goodRate: percent(c.good, c.ratings),
    bad: c.bad,
    badReplyRate: percent(c.badRepliedInTime, c.bad),
    invitationsSent: c.invitationsSent,
    visits: c.visits,
    visitSatisfactionRate: percent(c.visitGood, c.visitRatings),
    casesOpened: c.cases,
    casesClosed: c.closed,
    overdue: c.overdue,
    letters: c.letters,
    callbacks: c.callbacks,
    interviews: c.interviews,
    inspectionCases: c.inspectionCases,
  };
}

/**
 * Compute a report from the counters: the scope's figures, one row per county (prefecture reports) and per department
 * of the scope, and the sentences. Cost: 1 + counties + departments counter Queries (the prefecture: 1 + 5 + 70) plus
 * the department list — never a read per rating.
 */
async function compute(scope: string, month: string, now: Date) {
  const today = shanghaiDate(now);
  const from = `${month}-01`;
  const to = month === today.slice(0, 7) ? today : lastDayOf(month);
  const depth = scope.split('/').length;
  const scopeName = await scopeNameOf(scope);
  const countyName =
    depth === 2 ? scopeName : depth === 3 ? (await getDepartment(scope.split('/')[2]))?.regionName : undefined;
  const row = async (id: string, name: string, path: string): Promise<ReportRow> => ({
    id,
    name,
    ...(await figuresOf(path, from, to)),
  });
  const [figures, counties, departments] = await Promise.all([
    figuresOf(scope, from, to),
    depth === 1 ? Promise.all(REGIONS.map((r) => row(r.id, r.name, `${PREFECTURE_ID}/${r.id}`))) : [],
    depth === 3
      ? [row(scope.split('/')[2], scopeName, scope)]
      : unitsUnder('department', scope).then((units) => units.map((u) => row(u.id, u.name, u.path))),
  ]);
  const sentences = reportSentences({ scope, scopeName, month, to, countyName, figures });
  return {
    scope,
    scopeName,
    month,
    from,
    to,
    figures,
    sentences,
    text: sentences.join(''),
    counties,
    departments: await Promise.all(departments),
  };
}

/**
 * POST /v1/reports/monthly: generate the report of a scope and month and keep it as a snapshot (DynamoDB item, PDF and
 * Word file in object storage). A stored report is never recomputed when read; generating it again needs
 * `regenerate: true` (else CONFLICT) and makes the next version. Each generation is one transaction with its audit
 * entry (report.generate / report.regenerate, the figures before and after) and the request record (a retried request
 * answers the same version).
 */
export async function generateMonthlyReport(
  session: Session,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<MonthlyReportStored> {
  const body = parseWith(GenerateRequest, input);
  const scope = readableScope(session, body.scope, REPORT_ROLES);
  const actor = actorOf(session, REPORT_ROLES, scope);
  if (body.month > shanghaiDate(now).slice(0, 7)) throw new AppError('VALIDATION_FAILED', '不能生成未来月份的报告');
  const { requestId, ...intent } = body;
  return onceOnly(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId,
      intent: { route: 'report.monthly', ...intent, scope },
      status: 201,
      busyMessage: '报告正在被他人生成，请稍后重试',
      maxAttempts: 3,
    },
    async (record) => {
      const before = await getReport(scope, body.month);
      if (before && !body.regenerate)
        throw new AppError(
          'CONFLICT',
          `该月报告已于${shanghaiDate(before.generatedAt)}生成（第 ${before.version} 版）；如需按最新数据重新生成，请确认“重新生成”`,
        );
      const computed = await compute(scope, body.month, now);
      const files = `reports/${scope}/${body.month}/${ulid(now.getTime())}`;
      const docxKey = `${files}.docx`;
      const report: ReportRecord = {
        ...computed,
        version: (before?.version ?? 0) + 1,
        generatedAt: now.toISOString(),
        generatedBy: session.userId,
        pdfKey: `${files}.pdf`,
        docxKey,
      };
      // The PDF first, under a key of its own: a generation that loses the race leaves an unused file, never a
      // stored report without its PDF. The Word file is rendered at the first reading (domain/report-reading).
      await putObject(report.pdfKey, await renderReportPdf(report), 'application/pdf');
      const response: MonthlyReportStored = {
        scope,
        month: body.month,
        version: report.version,
        generatedAt: report.generatedAt,
      };
      const audit = auditEntry(
        {
          actor,
          action: before ? 'report.regenerate' : 'report.generate',
          target: { kind: 'report', id: `${scope}#${body.month}`, name: `${report.scopeName} ${body.month} 月度报告` },
          scope,
          ...(before ? { before: { version: before.version, text: before.text, figures: before.figures } } : {}),
          after: { version: report.version, text: report.text, figures: report.figures },
        },
        now,
      );
      const outcome = await storeReport(report, audit, record(response));
      return { outcome: outcome === 'stale' ? 'conflict' : outcome, response };
    },
  );
}
