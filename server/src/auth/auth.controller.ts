import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  createOperatorSchema,
  loginSchema,
  type CreateOperatorRequest,
  type LoginRequest,
  type LoginResponse,
  type OperatorResponse,
} from '@sanitation/contracts';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { Public, Roles } from './auth.decorators.js';
import { AuthService } from './auth.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Operator login; returns a bearer token' })
  @ApiBody({ schema: openApiSchema(loginSchema) })
  @ApiResponse({ status: 200, description: 'LoginResponse { token, expiresAt, user }' })
  @ApiResponse({ status: 401, description: 'wrong username or password' })
  login(@Body(new ZodValidationPipe(loginSchema)) body: LoginRequest): Promise<LoginResponse> {
    return this.auth.login(body);
  }

  @Post('operators')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an operator account (admin)' })
  @ApiBody({ schema: openApiSchema(createOperatorSchema) })
  @ApiResponse({ status: 201, description: 'OperatorResponse' })
  @ApiResponse({ status: 409, description: 'username taken' })
  createOperator(@Body(new ZodValidationPipe(createOperatorSchema)) body: CreateOperatorRequest): Promise<OperatorResponse> {
    return this.auth.createOperator(body);
  }
}
