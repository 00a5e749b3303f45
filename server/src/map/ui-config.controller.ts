import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { UiConfig } from '@sanitation/contracts';
import { Public } from '../auth/auth.decorators.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';

@ApiTags('map')
@Controller('ui-config')
export class UiConfigController {
  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The dashboard's runtime settings (public: the login page needs them)" })
  @ApiResponse({ status: 200, description: 'UiConfig { mapboxToken, mapboxStyle, cityTimeZone, defaultLocale, serverNow, clockSpeed }' })
  get(): UiConfig {
    return {
      mapboxToken: this.config.MAPBOX_TOKEN,
      mapboxStyle: this.config.MAPBOX_STYLE,
      cityTimeZone: this.config.CITY_TIME_ZONE,
      defaultLocale: this.config.DEFAULT_LOCALE,
      serverNow: this.clock.now(),
      clockSpeed: this.config.CLOCK_SPEED,
    };
  }
}
