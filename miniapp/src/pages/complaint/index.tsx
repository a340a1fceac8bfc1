import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  COMPLAINT_CATEGORIES,
  CONTENT_MAX,
  CONTENT_MIN,
  PHONE_PATTERN,
  type ComplaintCategory,
  type ListItem,
  type SubmitComplaintRequest,
  type SubmitComplaintResponse,
} from '@mashang/shared';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, newRequestId } from '../../api/client';
import { getLists, lookupCode, submitComplaint } from '../../api/endpoints';
import { askResultNotice, saveResultNotice } from '../../components/resultNotice';
import { usePrivacy } from '../../components/usePrivacy';
import { FormFooter } from '../../components/FormFooter';
import { takeComplaintDraft } from '../../components/complaintDraft';
import { LimitedTextarea } from '../../components/LimitedTextarea';
import { PhotoPicker, type PickedPhoto } from '../../components/PhotoPicker';
import { RetryError } from '../../components/RetryError';

const NEGATIVE = '违反负面清单';

export default function Complaint() {
  const { params } = useRouter();
  const code = params.code ? decodeURIComponent(params.code) : undefined;
  const [category, setCategory] = useState<ComplaintCategory | ''>('');
  const [negative, setNegative] = useState<ListItem[] | null>(null);
  const [negativeError, setNegativeError] = useState('');
  const [negativeItemId, setNegativeItemId] = useState('');
  // Text typed into a rating the API refused (一次一评) arrives here instead of being lost.
  const [carried] = useState(() => takeComplaintDraft(code));
  const [content, setContent] = useState(carried);
  const [anonymous, setAnonymous] = useState(true);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<SubmitComplaintResponse | null>(null);
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  const { requestConsent, popup } = usePrivacy();
  // Filed from a window code: say which window the complaint is about (the code was looked up on the way here).
  const [about, setAbout] = useState<{ name: string; department: string } | null>(null);
  useEffect(() => {
    if (!code) return;
    lookupCode(code)
      .then((r) => r.window && setAbout({ name: r.window.name, department: r.window.department.name }))
      .catch(() => undefined); // the API checks the code again on submit and says what is wrong
  }, [code]);

  const loadNegative = () => {
    setNegativeError('');
    getLists()
      .then((l) => setNegative(l.negative.items))
      .catch((e) => setNegativeError(errorMessage(e)));
  };

  const chooseCategory = (c: ComplaintCategory) => {
    setCategory(c);
    setError('');
    if (c === NEGATIVE && !negative) loadNegative();
  };

  const chooseRealName = async () => {
    if (await requestConsent()) setAnonymous(false);
  };

  const validate = (): string | null => {
    if (!category) return '请选择投诉类别';
    if (category === NEGATIVE && !negativeItemId) return '请选择违反的负面清单条目';
    const len = content.trim().length;
    if (len < CONTENT_MIN) return `投诉内容至少 ${CONTENT_MIN} 个字`;
    if (len > CONTENT_MAX) return `投诉内容不能超过 ${CONTENT_MAX} 字`;
    if (!anonymous && !name.trim()) return '实名投诉请填写姓名';
    if (!anonymous && !PHONE_PATTERN.test(phone)) return '请填写正确的 11 位手机号';
    return null;
  };

  const submit = async () => {
    if (inFlight.current) return;
    const problem = validate();
    if (problem) {
      setError(problem);
      return;
    }
    if (photosBusy) {
      setError('照片正在上传，请稍候再提交');
      return;
    }
    // Ask, on this very tap as WeChat requires, to be told of the result (处理结果通知).
    const notice = askResultNotice();
    inFlight.current = true;
    setSending(true);
    setError('');
    const body: SubmitComplaintRequest = {
      requestId: requestId.current,
      ...(code ? { code } : {}),
      category: category as ComplaintCategory,
      content: content.trim(),
      ...(category === NEGATIVE ? { negativeItemId } : {}),
      anonymous,
      ...(anonymous ? {} : { name: name.trim(), phone }),
      ...(photos.length ? { photos: photos.map((p) => p.key) } : {}),
    };
    try {
      const res = await submitComplaint(body);
      setResult(res);
      void saveResultNotice(res.caseId, notice);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  if (result) {
    const copy = () => Taro.setClipboardData({ data: `投诉编号：${result.trackingNo}\n查询码：${result.queryCode}` });
    return (
      <View className="page">
        <View className="card" data-testid="complaint-result">
          <View className="title">投诉已受理</View>
          <View className="subtitle">纪委监委将核实处理，您可以凭下面的投诉编号和查询码随时查看进度。</View>
          <View className="field" style={{ marginTop: '24px' }}>
            <View className="label">投诉编号</View>
            <View className="mono" data-testid="tracking-no">
              {result.trackingNo}
            </View>
          </View>
          <View className="field">
            <View className="label">查询码</View>
            <View className="mono" data-testid="query-code">
              {result.queryCode}
            </View>
          </View>
          <View className="notice">
            <Text>请立即复制或截图保存。查询码只显示这一次，丢失后无法找回，也无人能替您查询。</Text>
          </View>
          <Button className="btn btn-primary" onClick={copy}>
            复制投诉编号和查询码
          </Button>
          <Button
            className="btn btn-plain"
            onClick={() =>
              Taro.redirectTo({
                url: `/pages/track/index?trackingNo=${encodeURIComponent(result.trackingNo)}`,
              })
            }
          >
            查询进度
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className="page">
      {about ? (
        <View className="card" data-testid="complaint-window">
          <View className="label">投诉对象</View>
          <View className="section-title">{about.name}</View>
          <View className="hint">{about.department}</View>
        </View>
      ) : null}
      <View className="card">
        <View className="section-title">投诉类别</View>
        <View className="chips">
          {COMPLAINT_CATEGORIES.map((c) => (
            <View key={c} className={`chip ${category === c ? 'chip-selected' : ''}`} onClick={() => chooseCategory(c)}>
              {c}
            </View>
          ))}
        </View>
      </View>

      {category === NEGATIVE ? (
        <View className="card" data-testid="negative-items">
          <View className="section-title">违反了负面清单哪一条？</View>
          {negativeError ? <RetryError message={negativeError} onRetry={loadNegative} /> : null}
          {!negative && !negativeError ? <View className="hint">正在加载负面清单…</View> : null}
          {(negative ?? []).map((item) => (
            <View
              key={item.id}
              className={`level ${negativeItemId === item.id ? 'level-selected' : ''}`}
              onClick={() => setNegativeItemId(item.id)}
            >
              <Text>{item.text}</Text>
            </View>
          ))}
        </View>
      ) : null}

      <View className="card">
        <View className="section-title">投诉内容</View>
        {carried ? (
          <View className="hint" data-testid="carried-draft">
            已带入您在评价中填写的内容，可修改后提交。
          </View>
        ) : null}
        <LimitedTextarea
          value={content}
          max={CONTENT_MAX}
          min={CONTENT_MIN}
          trimmed
          placeholder="请写明时间、地点、窗口或人员、经过（至少5个字）"
          onInput={setContent}
          counterTestId="content-counter"
        />
        <View className="label" style={{ marginTop: '16px' }}>
          照片证据（选填）
        </View>
        <PhotoPicker
          value={photos}
          onChange={setPhotos}
          onBusy={setPhotosBusy}
          hint="可拍照或从相册选择，最多 3 张，仅纪委监委可见；照片中的位置信息会被去除。"
        />
      </View>

      <View className="card">
        <View className="section-title">投诉方式</View>
        <View className="chips">
          <View className={`chip ${anonymous ? 'chip-selected' : ''}`} onClick={() => setAnonymous(true)}>
            匿名投诉
          </View>
          <View className={`chip ${!anonymous ? 'chip-selected' : ''}`} onClick={chooseRealName}>
            实名投诉
          </View>
        </View>
        <View className="hint">
          {anonymous
            ? '匿名投诉不会记录您的姓名和电话，提交后凭投诉编号和查询码查看进度。'
            : '您的姓名和电话只有纪委监委可见，被投诉的部门看不到。'}
        </View>
        {!anonymous ? (
          <View style={{ marginTop: '16px' }}>
            <View className="field">
              <View className="label">姓名</View>
              <Input
                className="input"
                value={name}
                maxlength={20}
                placeholder="请输入姓名"
                onInput={(e) => setName(e.detail.value)}
              />
            </View>
            <View className="field">
              <View className="label">手机号</View>
              <Input
                className="input"
                type="number"
                maxlength={11}
                value={phone}
                placeholder="请输入11位手机号"
                onInput={(e) => setPhone(e.detail.value)}
              />
            </View>
          </View>
        ) : null}
      </View>

      <FormFooter
        error={error}
        errorTestId="complaint-error"
        errorCard
        sending={sending}
        onSubmit={submit}
        label="提交投诉"
        busyLabel="正在提交…"
      />
      {popup}
    </View>
  );
}
