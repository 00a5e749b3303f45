import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { OperatorsRepository } from './operators.repository.js';

@Module({
  controllers: [AuthController],
  providers: [OperatorsRepository, AuthService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, OperatorsRepository],
})
export class AuthModule {}
