import { kb, ms, percentile, ratio, section, type SectionResult } from './common';

/**
 * Issue 9's goals, each measured figure beside its floor or limit, from the other sections of this run. A goal whose
 * section did not run says so.
 */
export function goals(sections: SectionResult[]): SectionResult {
  const s = section('goals', '6. Goals (issue 9), each against its floor, from this run');
  const data = (id: string) => sections.find((x) => x.id === id && x.status !== 'failed')?.data as any;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const out: Record<string, unknown> = {};

  const cost = data('cost');
  if (cost?.perMillion?.blended) {
    const b = cost.perMillion.blended;
    const usd = (b.dynamo + b.lambda + b.api) * 1e6;
    out.dollarsPerMillion = usd;
    s.rows.push({
      measure: `$ per million ratings (${cost.badShare * 100}% 差评), DynamoDB + Lambda + HTTP API`,
      value: `$${usd.toFixed(2)}`,
      floor: 'goal $5',
      ratio: ratio(usd, 5),
      note: verdict(usd <= 5),
    });
    const good = cost.results?.['rating (好评, level 5)'];
    const bad = cost.results?.['差评 (level 1, reason, phone)'];
    const warm = cost.results?.['rating (好评, level 5), code cached'];
    const flow = data('handler')?.flowCommands as Record<string, number> | undefined;
    const flowRatings = data('handler')?.flowMs?.length as number | undefined;
    if (flow && flowRatings) {
      const perRating = Object.values(flow).reduce((a, b) => a + b, 0) / flowRatings;
      s.rows.push({
        measure: "好评: DynamoDB requests after the rate page's signed-in lookup (the mini-program's flow)",
        value: `${perRating} (${Object.entries(flow)
          .map(([k, v]) => `${k}×${v / flowRatings}`)
          .join(' ')})`,
        floor: 'goal ≤ 2 sequential',
        note: `${verdict(perRating <= 2)} (section 3b: the code and the hourly count come from the lookup)`,
      });
    }
    if (good)
      s.rows.push({
        measure: '好评: DynamoDB requests, no lookup before it and the code not cached by the instance',
        value: `${good.requests} (${good.breakdown})`,
        floor: 'reported',
        note: "3 sequential: the code's two GetItems, then the Put with the limit's Query beside it (a rating that reaches another instance than its lookup's)",
      });
    if (warm)
      s.rows.push({
        measure: '好评: DynamoDB requests, code cached (within 60 s), no lookup before it',
        value: `${warm.requests} (${warm.breakdown})`,
        floor: 'goal ≤ 2 sequential',
        note: verdict(warm.requests <= 2),
      });
    if (bad)
      s.rows.push({
        measure: '差评: DynamoDB requests',
        value: `${bad.requests} (${bad.breakdown})`,
        floor: 'goal ≤ 3 sequential',
        note: `${verdict(bad.requests <= 3)} (requests made, an upper bound of the sequential ones)`,
      });
  } else s.rows.push({ measure: '$ per million ratings', value: 'not measured in this run' });

  const handler = data('handler');
  const api = data('api');
  if (handler) {
    const h95 = percentile(handler.handlerMs, 95);
    const p95 = percentile(handler.putMs, 95);
    out.handlerP95Ratio = h95 / p95;
    if (handler.flowMs?.length) {
      const f95 = percentile(handler.flowMs, 95);
      out.handlerFlowP95Ratio = f95 / p95;
      s.rows.push({
        measure: "好评 handler p95 (in-process) after the rate page's signed-in lookup, the mini-program's flow",
        value: ms(f95),
        floor: `${ms(p95)} conditional PutItem`,
        ratio: ratio(f95, p95),
        note: `goal ≤ ${handler.goal}×: ${verdict(f95 / p95 <= handler.goal)} (one function serves the lookup and the rating: handlers/scan.ts)`,
      });
    }
    s.rows.push({
      measure: '好评 handler p95 (in-process), no lookup before it and the code not cached',
      value: ms(h95),
      floor: `${ms(p95)} conditional PutItem`,
      ratio: ratio(h95, p95),
      note: `${h95 / p95 <= handler.goal ? 'within' : 'over'} ${handler.goal}×: a rating that reaches another instance than its lookup's (two GetItems of the code, then the Put with the limit's Query beside it)`,
    });
    if (api?.api) {
      s.rows.push({
        measure: 'POST /v1/ratings p95 end to end (serverless-offline)',
        value: ms(api.api.p95),
        floor: `${ms(h95)} handler`,
        ratio: ratio(api.api.p95, h95),
        note: 'what serverless-offline adds: HTTP API emulation, a worker thread per concurrent request, JSON re-serialisation, 20 connections on 2 shared cores',
      });
    }
  } else s.rows.push({ measure: '好评 handler p95', value: 'not measured in this run' });

  const lambda = data('lambda');
  if (lambda?.bundles) {
    for (const b of lambda.bundles as any[]) {
      s.rows.push({
        measure: `bundle ${String(b.file).replace('functions/src/handlers/', '')}`,
        value: `${kb(b.bytes)}, init ${ms(b.initMinMs ?? b.initMs)}`,
        floor: `${kb(b.goal.bytes)} limit; init ${ms(b.floorInitMinMs ?? b.floorInitMs ?? lambda.ddbFloor.initMs)}`,
        ratio: `size ${ratio(b.bytes, b.goal.bytes)}, init ${b.goal.initRatio.toFixed(2)}×`,
        note: `size ${verdict(b.goal.sizeOk)}, init ≤ ${lambda.goals.initRatio}× ${verdict(b.goal.initOk)}`,
      });
    }
  } else s.rows.push({ measure: 'bundles', value: 'not measured in this run' });

  const cont = data('contention');
  if (cont?.results) {
    for (const r of cont.results as any[]) {
      const ok = r.errors === 0 && r.lost === 0 && r.duplicated === 0 && r.fiveXx === 0 && r.counterDrift === 0;
      s.rows.push({
        measure: `contention, ${r.label}`,
        value: `errors ${r.errors}, conflicts ${r.conflicts}, retries ${r.retries}, lost ${r.lost}, duplicated ${r.duplicated}, 5xx ${r.fiveXx}`,
        floor: 'goal 0 lost, 0 duplicated, 0 5xx',
        note: verdict(ok),
      });
    }
  } else s.rows.push({ measure: 'contention', value: 'not measured in this run' });

  if (api?.alertsDuringLoad?.firstMs?.length) {
    const a95 = percentile(api.alertsDuringLoad.firstMs, 95);
    s.rows.push({
      measure: 'alert latency p95 during the rating load',
      value: ms(a95),
      floor: 'goal 2 s',
      ratio: ratio(a95, 2000),
      note: verdict(a95 <= 2000 && api.alertsDuringLoad.missing === 0),
    });
  } else s.rows.push({ measure: 'alert latency during load', value: 'not measured in this run' });

  s.notes.push(
    'Each figure is taken from its section above, measured when that section says (`--only=goals` re-reads the file); "requests" of a rating are all DynamoDB requests the handler made (an upper bound of the sequential ones).',
  );
  s.data = out;
  return s;
}
