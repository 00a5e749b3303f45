import { ApiError } from '../../api/http';
import { session } from '../../auth/session';

/**
 * Photo upload and download. The shared client speaks JSON only; photos go up as the raw image
 * body and come back as a blob, both with the bearer token (an <img src> could not send it).
 */
function authHeaders(): Record<string, string> {
  const token = session.get()?.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text();
  let body: unknown = text;
  let message = `HTTP ${res.status}`;
  try {
    body = JSON.parse(text);
    const m = (body as { message?: unknown }).message;
    if (typeof m === 'string') message = m;
  } catch {
    /* not JSON */
  }
  if (res.status === 401) session.set(null);
  return new ApiError(res.status, message, body);
}

export interface UploadedPhoto {
  photoId: string;
  url: string;
}

export async function uploadJobPhoto(jobId: string, photo: Blob): Promise<UploadedPhoto> {
  const res = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/photos`, {
    method: 'POST',
    headers: { ...authHeaders(), 'content-type': photo.type || 'image/jpeg', accept: 'application/json' },
    body: photo,
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as UploadedPhoto;
}

/** An object URL for a stored photo (`/api/jobs/:id/photos/:photoId`); revoke it when done. */
export async function fetchPhotoObjectUrl(url: string): Promise<string> {
  if (!url.startsWith('/api/')) throw new Error(`not a photo path: ${url}`);
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) throw await failure(res);
  return URL.createObjectURL(await res.blob());
}
