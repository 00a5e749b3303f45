import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CrewMembershipRepository } from './crew-membership.repository.js';
import { LiveStreamService } from './live-stream.service.js';

/** socket.io live stream for dashboards (see live-stream.service.ts). */
@Module({
  imports: [AuthModule],
  providers: [CrewMembershipRepository, LiveStreamService],
  exports: [LiveStreamService],
})
export class LiveModule {}
