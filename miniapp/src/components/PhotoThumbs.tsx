import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PHOTO_FLAG_LABELS, type PhotoView } from '@mashang/shared';

/**
 * The photos attached to a rating, as thumbnails of their expiring links; a tap opens the viewer (and does not open
 * the list item around them). A photo WeChat's image check flagged keeps its place with the mark (officials only get
 * marks). Nothing when there are no photos.
 */
export function PhotoThumbs({ photos, testId = 'rating-photos' }: { photos?: PhotoView[]; testId?: string }) {
  if (!photos?.length) return null;
  const urls = photos.map((p) => p.url);
  return (
    <View className="photo-row" data-testid={testId}>
      {photos.map((p) => (
        <View
          key={p.id}
          className="photo-thumb photo-thumb-small"
          data-testid="rating-photo"
          onClick={(e) => {
            e.stopPropagation();
            void Taro.previewImage({ current: p.url, urls });
          }}
        >
          <Image className="photo-img" src={p.url} mode="aspectFill" />
          {p.flag ? <Text className="photo-flag">{PHOTO_FLAG_LABELS[p.flag]}</Text> : null}
        </View>
      ))}
    </View>
  );
}
