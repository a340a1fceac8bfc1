import { Button, Text, View } from '@tarojs/components';
import type { VisitView } from '@mashang/shared';
import { chinaTime, ratingLine } from './format';

/** A list of visits: who (department, official), when, why, and how the enterprise rated it. */
export function VisitList(props: {
  items: VisitView[];
  show: 'enterprise' | 'official' | 'both';
  onOpen?: (v: VisitView) => void;
  more?: () => void;
  empty: string;
}) {
  return (
    <View>
      {props.items.length === 0 ? <View className="hint">{props.empty}</View> : null}
      {props.items.map((v) => (
        <View key={v.id} className="list-item" data-testid="visit-item" onClick={() => props.onOpen?.(v)}>
          <View className="row">
            <Text>
              {props.show === 'official'
                ? v.enterprise.name
                : props.show === 'both'
                  ? `${v.enterprise.name} ← ${v.department.name} ${v.official.name}`
                  : `${v.department.name} · ${v.official.name}`}
            </Text>
            <Text className={`tag ${v.rating && v.rating.level <= 2 ? 'tag-bad' : ''}`}>{ratingLine(v)}</Text>
          </View>
          <View className="hint">
            {chinaTime(v.visitedAt)} · {v.purpose}
            {v.note ? ` · ${v.note}` : ''}
            {v.rating?.comment ? ` · 企业评价：${v.rating.comment}` : ''}
          </View>
        </View>
      ))}
      {props.more ? (
        <Button className="btn btn-plain" onClick={props.more}>
          加载更多
        </Button>
      ) : null}
    </View>
  );
}
