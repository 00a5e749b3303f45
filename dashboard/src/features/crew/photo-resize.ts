/** Photos are downscaled in the browser before upload: a phone's 12 MP JPEG is 4–8 MB, over the 5 MB cap. */
export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_JPEG_QUALITY = 0.8;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export interface Size {
  width: number;
  height: number;
}

/** The size that fits within `max` × `max`, keeping the aspect ratio; never upscales. */
export function fitWithin(width: number, height: number, max: number = PHOTO_MAX_SIDE): Size & { scaled: boolean } {
  if (!(width > 0) || !(height > 0)) throw new RangeError(`image has no size (${width}×${height})`);
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height, scaled: false };
  const k = max / longest;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)), scaled: true };
}

/** Whether a picked file can go up as it is (small enough, a type the server takes, not too large in pixels). */
export function needsReencode(file: { type: string; size: number }, size: Size, max: number = PHOTO_MAX_SIDE): boolean {
  return fitWithin(size.width, size.height, max).scaled || file.size > PHOTO_MAX_BYTES || !(PHOTO_TYPES as readonly string[]).includes(file.type);
}

/** Downscales (canvas, JPEG 0.8) when needed; otherwise returns the file itself. */
export async function preparePhoto(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    const source = { width: bitmap.width, height: bitmap.height };
    if (!needsReencode(file, source)) return file;
    const target = fitWithin(source.width, source.height);
    const canvas = document.createElement('canvas');
    canvas.width = target.width;
    canvas.height = target.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(bitmap, 0, 0, target.width, target.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('could not encode the photo'))), 'image/jpeg', PHOTO_JPEG_QUALITY),
    );
  } finally {
    bitmap.close();
  }
}
