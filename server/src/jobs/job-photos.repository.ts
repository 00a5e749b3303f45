import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import type { PhotoType } from './job-photos.rules.js';

export interface StoredPhoto {
  photoId: string;
  jobId: string;
  contentType: PhotoType;
  data: Buffer;
}

/**
 * Photo bytes cross the driver boundary as base64 text (decode/encode in SQL), so the same query
 * runs on PGlite and node-postgres without a binary parameter type in the Database interface.
 */
@Injectable()
export class JobPhotosRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(photo: { photoId: string; jobId: string; contentType: PhotoType; data: Buffer; at: Date; by: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO job_photos (id, job_id, content_type, size_bytes, data, created_at, created_by)
       VALUES ($1::uuid, $2::bigint, $3, $4, decode($5, 'base64'), $6, $7)`,
      [photo.photoId, photo.jobId, photo.contentType, photo.data.length, photo.data.toString('base64'), photo.at, photo.by],
    );
  }

  async count(jobId: string): Promise<number> {
    const rows = await this.db.query<{ n: number | string }>('SELECT count(*) AS n FROM job_photos WHERE job_id = $1::bigint', [jobId]);
    return Number(rows[0]?.n ?? 0);
  }

  async get(jobId: string, photoId: string): Promise<StoredPhoto | null> {
    const rows = await this.db.query<{ id: string; job_id: string; content_type: PhotoType; data: string }>(
      `SELECT id::text AS id, job_id::text AS job_id, content_type, encode(data, 'base64') AS data
       FROM job_photos WHERE id = $1::uuid AND job_id = $2::bigint`,
      [photoId, jobId],
    );
    const row = rows[0];
    return row ? { photoId: row.id, jobId: row.job_id, contentType: row.content_type, data: Buffer.from(row.data, 'base64') } : null;
  }
}
