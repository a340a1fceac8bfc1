import '../domain/grants';
import { issuePhotoUpload } from '../domain/photos';
import { httpWrite } from '../domain/idempotency';

/** POST /v1/uploads {contentType}: a presigned POST for one photo (signed-in users). */
export const photo = httpWrite(201, async (req) => issuePhotoUpload(await req.session(), req.body, new Date()));
