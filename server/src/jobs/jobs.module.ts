import { Module } from '@nestjs/common';
import { JobPhotosController } from './job-photos.controller.js';
import { JobPhotosRepository } from './job-photos.repository.js';
import { JobsController } from './jobs.controller.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';

@Module({
  controllers: [JobsController, JobPhotosController],
  providers: [JobsRepository, JobsService, JobPhotosRepository],
  exports: [JobsService, JobsRepository],
})
export class JobsModule {}
