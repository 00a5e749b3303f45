import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum MapExceptionCode {
  BASEMAP_NOT_FOUND = 'BASEMAP_NOT_FOUND',
  ASSET_NOT_FOUND = 'ASSET_NOT_FOUND',
}

const STATUS: Record<MapExceptionCode, HttpStatus> = {
  [MapExceptionCode.BASEMAP_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MapExceptionCode.ASSET_NOT_FOUND]: HttpStatus.NOT_FOUND,
};

export class MapException extends CodedException<MapExceptionCode> {
  constructor(code: MapExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
