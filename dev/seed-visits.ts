import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  PREFECTURE_LEVEL_REGION,
  shanghaiDate,
  VISIT_PURPOSES,
  VISIT_RULES,
  type VisitRatingView,
} from '@mashang/shared';
import { db, table } from '../functions/src/data/client';
import { contactItem } from '../functions/src/data/contacts';
import { K } from '../functions/src/data/keys';
import { grantItem, userItem } from '../functions/src/data/users';
import { writeVisit, writeVisitRating, withdrawVisit, type VisitItem } from '../functions/src/data/visits';
import { userIdFor } from '../functions/src/domain/auth';
import { openCase } from '../functions/src/domain/case-opening';
import { caseOpeningCounters, visitRatingCounters } from '../functions/src/domain/counters';
import { checkFrequency } from '../functions/src/domain/visits';
import { encryptPii } from '../functions/src/lib/crypto';
import {
  buildDepartments,
  buildEnterprises,
  mobile,
  personName,
  pick,
  rng,
  type DemoDepartment,
  type DemoEnterprise,
} from './demo-data';
import { standinOpenid } from './standin/identity';

const MARKER = K.seedMarker('visits-v1');

export const DEMO_VISIT_COUNT = 112;

const NOTES: Record<string, string[]> = {
  送政策: ['宣讲减税降费和稳岗补贴政策', '送达惠企政策明白纸', '讲解牧业贷款贴息政策'],
  解难题: ['协调用电报装', '协调项目用地手续', '帮助对接银行融资', '协调冬季道路运输'],
  调研: ['了解生产经营和用工情况', '调研文旅淡季经营', '了解原材料供应情况'],
  检查: ['安全生产检查', '食品经营许可现场核查', '消防设施检查'],
  其他: ['回访上次反映问题的办理情况'],
};
const GOOD_COMMENTS = ['干部很负责，问题当场协调', '政策讲得清楚', '回访及时，办事效率高', ''];

/** The demo contact of an enterprise and the demo visiting official (干部) of a department: stand-in logins. */
export const demoEnterpriseLogin = (enterpriseId: string) => `demo-enterprise-${enterpriseId}`;
export const demoCadreLogin = (departmentId: string) => `demo-cadre-${departmentId}`;

/**
 * The visits demo (SPEC §2.5): a bound contact for every enterprise, a visiting official for every department,
 * and about 110 visits over the last two months with ratings, one frequency warning and one visit case. The
 * content comes from a fixed PRNG (times relative to the first seeding); a marker makes it run once, and every
 * write is conditional, so a second run stores nothing.
 */
export async function seedDemoVisits(
  now = new Date(),
): Promise<{ created: boolean; visits: number; warnings: number; cases: number }> {
  const marker = await db().send(new GetCommand({ TableName: table(), Key: MARKER }));
  if (marker.Item)
    return {
      created: false,
      visits: Number(marker.Item.visits ?? 0),
      warnings: Number(marker.Item.warnings ?? 0),
      cases: Number(marker.Item.cases ?? 0),
    };
  const r = rng('visits');
  const departments = buildDepartments();
  const enterprises = buildEnterprises();
  const put = async (Item: Record<string, unknown>) => {
    await db()
      .send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' }))
      .catch((e) => {
        if (e.name !== 'ConditionalCheckFailedException') throw e;
      });
  };
  const at = now.toISOString();
  const people: Record<string, unknown>[] = [];
  const cadres = new Map<string, { userId: string; name: string }>();
  for (const d of departments) {
    const openid = standinOpenid(demoCadreLogin(d.id));
    const userId = userIdFor(openid);
    const name = personName(r);
    cadres.set(d.id, { userId, name });
    people.push(userItem({ userId, openid, createdAt: at, name, phone: encryptPii(mobile(r)), subscribed: true }));
    people.push(grantItem(userId, { role: 'visiting_official', scope: d.path }));
  }
  const contacts = new Map<string, string>();
  for (const e of enterprises) {
    const openid = standinOpenid(demoEnterpriseLogin(e.id));
    const userId = userIdFor(openid);
    contacts.set(e.id, userId);
    people.push(userItem({ userId, openid, createdAt: at, name: e.contactName, subscribed: true }));
    people.push(grantItem(userId, { role: 'enterprise', scope: e.path }));
    people.push(
      contactItem({ enterpriseId: e.id, userId, name: e.contactName, phone: encryptPii(e.contactPhone), boundAt: at }),
    );
  }
  // Independent items: written 16 at a time (the visits below stay in order, for the frequency rule).
  for (let i = 0; i < people.length; i += 16) await Promise.all(people.slice(i, i + 16).map(put));

  // Visits: each to an enterprise of the department's own county (or any county for 州本级 departments), spread
  // over the last 60 days; the first enterprise gets three visits by one department within a fortnight, which
  // breaches the default frequency rule once.
  type Plan = { e: DemoEnterprise; d: DemoDepartment; visitedAt: Date };
  const plans: Plan[] = [];
  const countyDepts = (countyId: string) =>
    departments.filter((d) => d.regionId === countyId || (d.regionId === PREFECTURE_LEVEL_REGION && r() < 0.15));
  const DAY = 86400_000;
  for (let i = 0; plans.length < DEMO_VISIT_COUNT - 3; i++) {
    const e = enterprises[1 + Math.floor(r() * (enterprises.length - 1))];
    const d = pick(r, countyDepts(e.county.id));
    const visitedAt = new Date(now.getTime() - Math.floor((2 + r() * 58) * DAY) + Math.floor(r() * 8) * 3600_000);
    // Keep the rest of the history inside the rule: at most two visits by one department to one enterprise in 30 days.
    const close = plans.filter(
      (p) => p.e.id === e.id && Math.abs(p.visitedAt.getTime() - visitedAt.getTime()) < 31 * DAY,
    );
    if (close.filter((p) => p.d.id === d.id).length >= 2 || close.length >= 5) continue;
    plans.push({ e, d, visitedAt });
  }
  const first = enterprises[0];
  const firstDept = departments.find((d) => d.regionId === first.county.id && d.id.endsWith('-scjg'))!;
  for (const daysAgo of [16, 9, 3])
    plans.push({ e: first, d: firstDept, visitedAt: new Date(now.getTime() - daysAgo * DAY) });
  plans.sort((a, b) => a.visitedAt.getTime() - b.visitedAt.getTime());

  let warnings = 0;
  let cases = 0;
  let caseMade = false;
  for (const [i, p] of plans.entries()) {
    const createdAt = new Date(p.visitedAt.getTime() + (10 + Math.floor(r() * 120)) * 60_000);
    const purpose = pick(r, VISIT_PURPOSES);
    const cadre = cadres.get(p.d.id)!;
    const seq = String(i + 1).padStart(3, '0');
    const v: VisitItem = {
      id: `demo-v${seq}`,
      enterprise: { id: p.e.id, name: p.e.name },
      enterprisePath: p.e.path,
      county: p.e.county,
      official: { userId: cadre.userId, name: cadre.name },
      department: { id: p.d.id, name: p.d.name },
      departmentPath: p.d.path,
      purpose,
      note: pick(r, NOTES[purpose]),
      companions: r() < 0.5 ? [personName(r)] : [],
      visitedAt: p.visitedAt.toISOString(),
      createdAt: createdAt.toISOString(),
      status: 'active',
      withdrawableUntil: new Date(createdAt.getTime() + VISIT_RULES.withdrawWindowMs).toISOString(),
      rateBy: new Date(createdAt.getTime() + VISIT_RULES.ratingWindowMs).toISOString(),
    };
    const stored = await writeVisit({
      request: {
        userId: cadre.userId,
        requestId: `seed-visit-${seq}`,
        fingerprint: 'seed',
        status: 201,
        response: { visit: { id: v.id } },
      },
      visit: v,
      date: shanghaiDate(p.visitedAt),
      event: { visitId: v.id, kind: 'registered', at: v.createdAt },
    });
    if (stored !== 'stored') continue;
    if (i % 50 === 7) {
      await withdrawVisit(v, {
        at: new Date(createdAt.getTime() + 600_000).toISOString(),
        reason: '误登记',
        date: shanghaiDate(p.visitedAt),
      });
      continue;
    }
    warnings += (await checkFrequency(v, createdAt)).length;
    // Most visits older than a few days are rated; the newest wait for their rating (待评价).
    const ratedAt = new Date(createdAt.getTime() + (1 + r() * 4) * DAY);
    if (ratedAt > now || r() < 0.12) continue;
    const bad = !caseMade && p.e.id !== first.id && p.visitedAt.getTime() < now.getTime() - 20 * DAY && r() < 0.2;
    const level = bad ? 2 : pick(r, [5, 5, 5, 4, 4, 4, 3] as const);
    const rating: VisitRatingView = {
      level,
      negativeItemIds: bad ? ['N2'] : [],
      solved: bad ? 'no' : pick(r, ['yes', 'yes', 'partly', 'na'] as const),
      ...(bad
        ? { comment: '来企业检查时暗示安排吃饭，问题也没解决' }
        : pick(r, GOOD_COMMENTS)
          ? { comment: pick(r, GOOD_COMMENTS) || undefined }
          : {}),
      createdAt: ratedAt.toISOString(),
    };
    const caseId = bad ? `${shanghaiDate(ratedAt).replaceAll('-', '')}-DEMOV1` : undefined;
    const contactId = contacts.get(p.e.id)!;
    const outcome = await writeVisitRating({
      request: {
        userId: contactId,
        requestId: `seed-visit-rating-${seq}`,
        fingerprint: 'seed',
        status: 201,
        response: { caseId: caseId ?? null },
      },
      visit: v,
      rating,
      rater: { visitId: v.id, userId: contactId, enterpriseId: p.e.id, createdAt: rating.createdAt },
      caseId,
      date: shanghaiDate(ratedAt),
      counters: visitRatingCounters(level, rating.negativeItemIds, rating.solved),
      opening: caseId
        ? openCase({
            id: caseId,
            source: 'visit',
            path: p.d.path,
            county: { id: p.d.regionId, name: p.d.regionName },
            department: { id: p.d.id, name: p.d.name },
            summary: `${p.e.name}评价干部走访：不满意；利用职权或影响力向企业索取、收受财物，或吃拿卡要；${rating.comment}`,
            owner: { userId: contactId, phone: encryptPii(p.e.contactPhone) },
            now: ratedAt,
            extra: {
              level,
              visit: {
                id: v.id,
                officialName: cadre.name,
                enterpriseName: p.e.name,
                visitedAt: v.visitedAt,
                purpose,
                negativeItemIds: ['N2'],
              },
            },
          })
        : undefined,
      caseCounters: caseId ? caseOpeningCounters('visit') : undefined,
    });
    if (outcome === 'stored' && caseId) {
      caseMade = true;
      cases++;
    }
  }
  await db().send(
    new PutCommand({ TableName: table(), Item: { ...MARKER, seededAt: at, visits: plans.length, warnings, cases } }),
  );
  return { created: true, visits: plans.length, warnings, cases };
}
