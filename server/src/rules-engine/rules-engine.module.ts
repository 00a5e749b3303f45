import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { RuleConfigModule } from '../rule-config/rule-config.module.js';
import { RulesEngine } from './rules-engine.service.js';

@Module({
  imports: [IngestModule, DevicesModule, RuleConfigModule, FleetModule],
  providers: [RulesEngine],
  exports: [RulesEngine],
})
export class RulesEngineModule {}
