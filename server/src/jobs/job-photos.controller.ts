import { randomUUID } from 'node:crypto';
import { Controller, Get, Inject, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Job } from '@sanitation/contracts';
import type { Response } from 'express';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { isOpenStatus } from './job-rules.js';
import { JobPhotosRepository } from './job-photos.repository.js';
import { isUuid, matchesType, PHOTO_MAX_BYTES, PHOTO_TYPES, PHOTOS_PER_JOB, photoPath, photoTypeOf } from './job-photos.rules.js';
import { JobsException, JobsExceptionCode } from './jobs.exception.js';
import { JobsService } from './jobs.service.js';

const MB = PHOTO_MAX_BYTES / 1024 / 1024;

export interface UploadedJobPhoto {
  photoId: string;
  url: string;
}

/**
 * Proof photos of a job: the image is the raw request body (no multipart), so the global JSON
 * parser leaves the stream alone and this controller reads it with its own size cap.
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobPhotosController {
  constructor(
    private readonly jobs: JobsService,
    private readonly photos: JobPhotosRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':id/photos')
  @Roles('crew', 'dispatcher', 'admin')
  @ApiOperation({ summary: `Attach a photo (raw body, ${PHOTO_TYPES.join(' | ')}, ≤ ${MB} MB). Crew members: their crews' open jobs only.` })
  @ApiConsumes(...PHOTO_TYPES)
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 201, description: '{ photoId, url } — pass url as photoUrl when moving the job to done' })
  @ApiResponse({ status: 400, description: 'empty body, or the bytes are not the declared image type' })
  @ApiResponse({ status: 404, description: 'no such job (or not one of your crews\' jobs)' })
  @ApiResponse({ status: 409, description: 'the job is closed (crew), or it already has the most photos' })
  @ApiResponse({ status: 413, description: `larger than ${MB} MB` })
  @ApiResponse({ status: 415, description: 'not image/jpeg, image/png or image/webp' })
  async upload(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<UploadedJobPhoto> {
    const type = photoTypeOf(request.headers['content-type']);
    if (!type) {
      throw new JobsException(
        JobsExceptionCode.PHOTO_UNSUPPORTED_TYPE,
        `content-type must be one of ${PHOTO_TYPES.join(', ')} (got ${request.headers['content-type'] ?? 'none'})`,
      );
    }
    const job = await this.visible(id, request);
    const operator = request.operator!;
    if (operator.role === 'crew' && !isOpenStatus(job.status)) {
      throw new JobsException(JobsExceptionCode.PHOTO_LIMIT, `job "${id}" is ${job.status}: photos can no longer be added`);
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > PHOTO_MAX_BYTES) {
      // Not reading a body this large: close the connection after answering instead of draining it.
      response.setHeader('connection', 'close');
      throw tooLarge(declared);
    }
    const data = await readBody(request, response);
    if (data.length === 0) throw new JobsException(JobsExceptionCode.PHOTO_INVALID, 'the body is empty: send the image bytes');
    if (!matchesType(data, type)) throw new JobsException(JobsExceptionCode.PHOTO_INVALID, `the body is not a ${type} image`);
    if ((await this.photos.count(job.jobId)) >= PHOTOS_PER_JOB) {
      throw new JobsException(JobsExceptionCode.PHOTO_LIMIT, `job "${id}" already has ${PHOTOS_PER_JOB} photos`);
    }
    const photoId = randomUUID();
    await this.photos.insert({ photoId, jobId: job.jobId, contentType: type, data, at: new Date(this.clock.now()), by: operator.username });
    response.status(201);
    return { photoId, url: photoPath(job.jobId, photoId) };
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'The photo bytes (bearer token needed: the dashboard fetches it as a blob)' })
  @ApiParam({ name: 'id' })
  @ApiParam({ name: 'photoId' })
  @ApiResponse({ status: 200, description: 'the image' })
  @ApiResponse({ status: 404, description: 'no such job or photo' })
  async download(
    @Param('id') id: string,
    @Param('photoId') photoId: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const job = await this.visible(id, request);
    const photo = isUuid(photoId) ? await this.photos.get(job.jobId, photoId) : null;
    if (!photo) throw new JobsException(JobsExceptionCode.PHOTO_NOT_FOUND, `job "${id}" has no photo "${photoId}"`);
    // Stored once, never changed: cache privately (the URL is per job and needs the token anyway).
    response.setHeader('cache-control', 'private, max-age=86400, immutable');
    response.setHeader('x-content-type-options', 'nosniff');
    return new StreamableFile(photo.data, { type: photo.contentType, length: photo.data.length });
  }

  /** The job if this operator may see it; crew members only their crews' jobs (others look like 404). */
  private async visible(id: string, request: AuthenticatedRequest): Promise<Job> {
    if (!/^\d{1,18}$/.test(id)) throw JobsException.notFound(id);
    const job = await this.jobs.require(id);
    const operator = request.operator!;
    if (operator.role === 'crew' && !(await this.jobs.isCrewMemberOf(job, operator.username))) throw JobsException.notFound(id);
    return job;
  }
}

function tooLarge(bytes: number | null): JobsException {
  return new JobsException(
    JobsExceptionCode.PHOTO_TOO_LARGE,
    `the photo is ${bytes === null ? 'over' : `${(bytes / 1024 / 1024).toFixed(1)} MB,`} the limit of ${MB} MB: downscale it first`,
  );
}

/** Reads the raw body up to the cap; past it, stops reading, closes the connection after the answer and throws 413. */
function readBody(request: AuthenticatedRequest, response: Response): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, data?: Buffer) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      if (err) reject(err);
      else resolve(data!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > PHOTO_MAX_BYTES) {
        response.setHeader('connection', 'close');
        request.pause();
        finish(tooLarge(null));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size));
    const onError = (err: Error) => finish(new JobsException(JobsExceptionCode.PHOTO_INVALID, `the upload broke off: ${err.message}`));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
