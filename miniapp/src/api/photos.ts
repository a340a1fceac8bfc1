import Taro from '@tarojs/taro';
import { PHOTO_RULES, type PhotoUploadTicket } from '@mashang/shared';
import { ApiError, request } from './client';

/**
 * Photos as evidence, on the device: choose or take them, compress them, and upload each straight to object storage
 * with the presigned POST the API issues (POST /v1/uploads); the submission then names the returned keys. The API
 * never carries the bytes; it re-checks each upload and strips its metadata (EXIF/GPS) server side when the
 * submission names it.
 */

/** The longest side a photo is sent with: readable evidence at ~200–600 KB. */
const MAX_SIDE = 1600;
const QUALITY = 0.75;

/**
 * Choose up to `count` photos from the album or take them with the camera.
 * https://developers.weixin.qq.com/miniprogram/dev/api/media/video/wx.chooseMedia.html
 */
export async function choosePhotos(count: number): Promise<string[]> {
  if (process.env.TARO_ENV === 'weapp') {
    const res = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
    });
    return res.tempFiles.map((f) => f.tempFilePath);
  }
  // H5: Taro's chooseImage is a file input (camera or album on a phone).
  const res = await Taro.chooseImage({ count, sourceType: ['album', 'camera'] });
  return res.tempFilePaths.slice(0, count);
}

/**
 * Compress on the device before uploading: WeChat's compressImage in the mini-program; in H5 (where Taro has no
 * compressImage) a canvas redraw to JPEG, which also drops the camera's EXIF. A photo that cannot be compressed is
 * sent as it is (the upload policy still caps it at 2 MB).
 * https://developers.weixin.qq.com/miniprogram/dev/api/media/image/wx.compressImage.html
 */
export async function compressPhoto(path: string): Promise<string> {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const res = await Taro.compressImage({ src: path, quality: QUALITY * 100, compressedWidth: MAX_SIDE });
      return res.tempFilePath;
    }
    return await canvasCompress(path);
  } catch {
    return path;
  }
}

function canvasCompress(src: string): Promise<string> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no canvas'));
  return new Promise((resolve, reject) => {
    const img = new Image();
    const timer = setTimeout(() => reject(new Error('image did not load')), 15000);
    img.onload = () => {
      clearTimeout(timer);
      const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(
        (blob) => (blob ? resolve(URL.createObjectURL(blob)) : reject(new Error('toBlob'))),
        'image/jpeg',
        QUALITY,
      );
    };
    img.onerror = () => {
      clearTimeout(timer);
      reject(new Error('not an image'));
    };
    img.src = src;
  });
}

/** Upload one (compressed, so JPEG) photo with a presigned POST; its key names it in the submission. */
export async function uploadPhoto(path: string): Promise<string> {
  const ticket = await request<PhotoUploadTicket>('POST', '/v1/uploads', { contentType: 'image/jpeg' });
  let res: Taro.uploadFile.SuccessCallbackResult;
  try {
    // The policy's fields first, the file last, as S3 requires (Taro's uploadFile appends the file after formData).
    // No cookies to storage (H5): Taro's H5 uploadFile sends credentials by default and its progress listener
    // makes the browser ask first (CORS preflight); a credentialed request is refused unless the storage's answer
    // names this exact origin and allows credentials, which a presigned POST never needs (s3rver answers `*`).
    res = await Taro.uploadFile({
      url: ticket.url,
      filePath: path,
      name: 'file',
      fileName: 'photo.jpg',
      formData: ticket.fields,
      withCredentials: false,
    });
  } catch {
    throw new ApiError('UPLOAD_FAILED', '照片上传失败，请检查网络后重试', 0);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const tooBig = /EntityTooLarge/.test(String(res.data));
    throw new ApiError(
      'UPLOAD_FAILED',
      tooBig ? `照片不能超过 ${PHOTO_RULES.maxBytes / 1024 / 1024} MB` : '照片上传失败，请重试',
      res.statusCode,
    );
  }
  return ticket.key;
}
