import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import {
  NEGATIVE_ITEM_GRAB,
  RATING_LEVELS,
  VISIT_RULES,
  VISIT_SOLVED,
  isBadVisitRating,
  type ConductLists,
  type RatingLevel,
  type VisitSolved,
} from '@mashang/shared';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, newRequestId } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { LimitedTextarea, tooLong } from '../../../components/LimitedTextarea';
import { getVisit, negativeList, rateVisit, type VisitView } from '../../api';
import { chinaTime, ratingLine } from '../../format';
import { FormFooter } from '../../../components/FormFooter';
import { useSubmit } from '../../../components/useSubmit';

/** The enterprise rates an official's visit (opened from the subscribe message or the SMS link). */
export default function RateVisit() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [visit, setVisit] = useState<VisitView | null>(null);
  const [canRate, setCanRate] = useState(false);
  const [loadError, setLoadError] = useState('');
  const [lists, setLists] = useState<ConductLists | null>(null);
  const [listsError, setListsError] = useState('');
  const [level, setLevel] = useState<RatingLevel | 0>(0);
  const [items, setItems] = useState<string[]>([]);
  const [solved, setSolved] = useState<VisitSolved | ''>('');
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<{ caseId: string | null } | null>(null);
  const requestId = useRef(newRequestId());
  const { sending, error, submit } = useSubmit(errorMessage);

  const load = () => {
    setLoadError('');
    getVisit(id)
      .then((r) => {
        setVisit(r.visit);
        setCanRate(r.canRate);
      })
      .catch((e) => setLoadError(errorMessage(e)));
    loadLists();
  };
  const loadLists = () => {
    setListsError('');
    negativeList()
      .then(setLists)
      .catch((e) => setListsError(errorMessage(e)));
  };
  useEffect(load, [id]);

  const toggle = (n: string) => setItems((xs) => (xs.includes(n) ? xs.filter((x) => x !== n) : [...xs, n]));

  const rate = () =>
    submit(() => {
      if (!level) return '请选择满意程度';
      if (!solved) return '请选择是否解决了问题';
      if (comment.trim().length > VISIT_RULES.commentMax) return tooLong('评价内容', VISIT_RULES.commentMax);
      return async () => {
        const r = await rateVisit(id, {
          requestId: requestId.current,
          level: level as RatingLevel,
          negativeItemIds: items,
          solved,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        });
        setResult({ caseId: r.caseId });
      };
    });

  if (loadError) {
    return (
      <View className="page">
        <View className="card">
          <RetryError message={loadError} onRetry={load} />
        </View>
      </View>
    );
  }
  if (!visit) {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在加载走访信息…</View>
        </View>
      </View>
    );
  }
  const header = (
    <View className="card">
      <View className="title">{visit.enterprise.name}</View>
      <View className="subtitle">
        {visit.department.name} · {visit.official.name} · {visit.purpose}
      </View>
      <View className="hint">
        走访时间 {chinaTime(visit.visitedAt)}
        {visit.note ? ` · ${visit.note}` : ''}
        {visit.companions.length ? ` · 同行：${visit.companions.join('、')}` : ''}
      </View>
    </View>
  );
  if (result) {
    return (
      <View className="page">
        {header}
        <View className="card" data-testid="visit-rated">
          <View className="title">感谢评价</View>
          {result.caseId ? (
            <View className="notice">
              您的不满意评价已转纪检监察机关和干部所在部门督办（督办件 {result.caseId}
              ），将按规定时限核实处理。干部本人不会得知评价人。
            </View>
          ) : (
            <View className="hint">评价已记录。干部只能看到评价结果，看不到评价人。</View>
          )}
        </View>
      </View>
    );
  }
  if (!canRate) {
    return (
      <View className="page">
        {header}
        <View className="card" data-testid="visit-not-rateable">
          <View className="section-title">
            {visit.status === 'withdrawn'
              ? '该走访登记已被撤回，无需评价'
              : visit.rating
                ? `本企业已评价：${ratingLine(visit)}`
                : Date.parse(visit.rateBy) < Date.now()
                  ? '已超过 7 天评价期限'
                  : '只有本企业绑定的联系人可以评价这次走访'}
          </View>
        </View>
      </View>
    );
  }
  const negatives = lists?.negative.items ?? [];
  const grab = negatives.find((n) => n.id === NEGATIVE_ITEM_GRAB);
  return (
    <View className="page">
      {header}
      <View className="card">
        <View className="section-title">您对本次走访满意吗？</View>
        <View className="levels">
          {RATING_LEVELS.map((l) => (
            <View
              key={l.level}
              className={`level ${level === l.level ? 'level-selected' : ''}`}
              onClick={() => setLevel(l.level)}
            >
              <Text>{l.label}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="card" data-testid="negative-items">
        <View className="section-title">是否有吃拿卡要或违反负面清单的行为？（如有请勾选）</View>
        <View className="chips">
          <View
            className={`chip ${items.includes(NEGATIVE_ITEM_GRAB) ? 'chip-selected' : ''}`}
            onClick={() => toggle(NEGATIVE_ITEM_GRAB)}
          >
            吃拿卡要
          </View>
        </View>
        {listsError ? <RetryError message={`负面清单加载失败：${listsError}`} onRetry={loadLists} /> : null}
        {negatives
          .filter((n) => n !== grab)
          .map((n) => (
            <View
              key={n.id}
              className={`chip ${items.includes(n.id) ? 'chip-selected' : ''}`}
              onClick={() => toggle(n.id)}
            >
              {n.id} {n.text}
            </View>
          ))}
      </View>
      <View className="card">
        <View className="section-title">是否解决了问题？</View>
        <View className="chips">
          {VISIT_SOLVED.map((s) => (
            <View
              key={s.value}
              className={`chip ${solved === s.value ? 'chip-selected' : ''}`}
              onClick={() => setSolved(s.value)}
            >
              {s.label}
            </View>
          ))}
        </View>
        <View className="label">想说的话（选填）</View>
        <LimitedTextarea value={comment} max={VISIT_RULES.commentMax} onInput={setComment} />
        {level && isBadVisitRating(level, items) ? (
          <View className="notice">不满意或勾选负面清单的评价将转纪检监察机关督办；干部本人不会得知评价人。</View>
        ) : null}
        <FormFooter error={error} errorTestId="rate-visit-error" sending={sending} onSubmit={rate} label="提交评价" />
        <View className="hint">请于 {chinaTime(visit.rateBy)} 前评价。每次走访由本企业评价一次。</View>
      </View>
    </View>
  );
}
