import { Image, Text, View } from '@tarojs/components';
import { PHOTO_RULES } from '@mashang/shared';
import { useState } from 'react';
import { errorMessage } from '../api/client';
import { choosePhotos, compressPhoto, uploadPhoto } from '../api/photos';

/** A photo on a form: where it shows on this device, and its upload key once uploaded. */
export interface PickedPhoto {
  preview: string;
  key: string;
}

/**
 * Up to 3 photos for a rating, a complaint or a rectification report: chosen or taken, compressed on the device and
 * uploaded at once, so the form submits only their keys. `onBusy` tells the form an upload is still running.
 */
export function PhotoPicker(props: {
  value: PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  onBusy?: (busy: boolean) => void;
  hint?: string;
}) {
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState('');
  const room = PHOTO_RULES.maxPerItem - props.value.length - uploading;

  const add = async () => {
    if (room <= 0) return;
    setError('');
    let paths: string[];
    try {
      paths = (await choosePhotos(room)).slice(0, room);
    } catch {
      return; // cancelled
    }
    if (paths.length === 0) return;
    setUploading((n) => n + paths.length);
    props.onBusy?.(true);
    const done: PickedPhoto[] = [];
    for (const p of paths) {
      try {
        const small = await compressPhoto(p);
        done.push({ preview: small, key: await uploadPhoto(small) });
      } catch (e) {
        setError(errorMessage(e));
      }
    }
    setUploading((n) => n - paths.length);
    props.onBusy?.(false);
    if (done.length) props.onChange([...props.value, ...done]);
  };

  return (
    <View className="photos" data-testid="photo-picker">
      <View className="photo-row">
        {props.value.map((p, i) => (
          <View key={p.key} className="photo-thumb">
            <Image className="photo-img" src={p.preview} mode="aspectFill" />
            <View
              className="photo-remove"
              aria-label={`删除第 ${i + 1} 张照片`}
              onClick={() => props.onChange(props.value.filter((x) => x.key !== p.key))}
            >
              ×
            </View>
          </View>
        ))}
        {uploading > 0 ? (
          <View className="photo-thumb photo-busy">
            <Text>上传中…</Text>
          </View>
        ) : null}
        {room > 0 ? (
          <View className="photo-thumb photo-add" onClick={add} data-testid="add-photo">
            <Text>+ 照片</Text>
          </View>
        ) : null}
      </View>
      <View className="hint">
        {props.hint ?? `可拍照或从相册选择，最多 ${PHOTO_RULES.maxPerItem} 张；照片中的位置信息会被去除。`}
      </View>
      {error ? (
        <View className="error-text" data-testid="photo-error">
          {error}
        </View>
      ) : null}
    </View>
  );
}
