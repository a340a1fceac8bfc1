import '../domain/grants';
import { issuePhotoUpload } from '../domain/photos';
import { http } from '../lib/http';

/** POST /v1/uploads {contentType}: a presigned POST for one photo (signed-in users). */
export const photo = http(async (req) => ({
  status: 201,
  body: await issuePhotoUpload(await req.session(), req.body, new Date()),
}));
