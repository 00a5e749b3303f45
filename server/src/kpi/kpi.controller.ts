import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { kpiQuerySchema, kpiTrendQuerySchema, type KpiQuery, type KpiReport, type KpiTrend, type KpiTrendQuery } from '@sanitation/contracts';
import type { Response } from 'express';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { reportCsv, trendCsv } from './kpi.csv.js';
import { KpiService } from './kpi.service.js';

/** Sends CSV when asked, else lets Nest serialise the JSON. */
export function answer<T>(res: Response, format: 'json' | 'csv', body: T, csv: (b: T) => string, filename: string): T | string {
  if (format !== 'csv') return body;
  res.type('text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename}.csv"`);
  return csv(body);
}

/** The KPI cockpit's figures; any operator role may read them. */
@ApiTags('kpi')
@ApiBearerAuth()
@Controller('kpi')
export class KpiController {
  constructor(private readonly kpi: KpiService) {}

  @Get()
  @ApiOperation({ summary: 'KPI figures for a zone/contractor and period [from, to) (≤ 366 days); ?format=csv for CSV' })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'contractor', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiResponse({ status: 200, description: 'KpiReport' })
  @ApiResponse({ status: 400, description: 'a parameter is invalid (named in the message)' })
  async report(
    @Query(new ZodValidationPipe(kpiQuerySchema, '(query)')) q: KpiQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KpiReport | string> {
    return answer(res, q.format, await this.kpi.report(q), reportCsv, 'kpi');
  }

  @Get('trend')
  @ApiOperation({ summary: 'Timeliness, integrity and lighting per day/week bucket (≤ 92 buckets); ?format=csv for CSV' })
  @ApiQuery({ name: 'bucket', required: false, enum: ['day', 'week'] })
  @ApiResponse({ status: 200, description: 'KpiTrend' })
  @ApiResponse({ status: 400, description: 'a parameter is invalid (named in the message)' })
  async trend(
    @Query(new ZodValidationPipe(kpiTrendQuerySchema, '(query)')) q: KpiTrendQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KpiTrend | string> {
    return answer(res, q.format, await this.kpi.trend(q), trendCsv, 'kpi-trend');
  }
}
