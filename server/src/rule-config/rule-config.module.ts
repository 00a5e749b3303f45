import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { RuleConfigController } from './rule-config.controller.js';
import { RuleConfigRepository } from './rule-config.repository.js';
import { RuleConfigService } from './rule-config.service.js';

@Module({
  imports: [DevicesModule],
  controllers: [RuleConfigController],
  providers: [RuleConfigRepository, RuleConfigService],
  exports: [RuleConfigService],
})
export class RuleConfigModule {}
