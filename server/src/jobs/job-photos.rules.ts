/** What a job photo upload may be: the types phones and the dashboard's canvas produce, ≤ 5 MB. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Bounds one job's storage (a crew sends a few, not hundreds). */
export const PHOTOS_PER_JOB = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID.test(v);

/** The media type of a Content-Type header (parameters dropped), or null when not one we store. */
export function photoTypeOf(header: string | undefined): PhotoType | null {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return (PHOTO_TYPES as readonly string[]).includes(type ?? '') ? (type as PhotoType) : null;
}

/** Whether the bytes really are the declared type (magic numbers): the header alone proves nothing. */
export function matchesType(data: Buffer, type: PhotoType): boolean {
  switch (type) {
    case 'image/jpeg':
      return data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
    case 'image/png':
      return data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/webp':
      return data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP';
  }
}

export const photoPath = (jobId: string, photoId: string): string => `/api/jobs/${jobId}/photos/${photoId}`;
