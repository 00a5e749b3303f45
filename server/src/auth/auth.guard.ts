import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OperatorRole } from '@sanitation/contracts';
import type { Request } from 'express';
import { INTERNAL_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { AuthException, AuthExceptionCode } from './auth.exception.js';
import { AuthService, type AuthenticatedOperator } from './auth.service.js';

export type AuthenticatedRequest = Request & { operator?: AuthenticatedOperator };

function bearer(request: Request): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Global guard. Every route needs an operator bearer token unless marked @Public(); @InternalOnly()
 * routes need INTERNAL_TOKEN instead. No or unknown token → 401; known operator without the
 * role → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (!token) throw new AuthException(AuthExceptionCode.TOKEN_MISSING, 'missing bearer token (Authorization: Bearer <token>)');

    if (this.reflector.getAllAndOverride<boolean>(INTERNAL_KEY, targets)) {
      if (this.auth.isInternalToken(token)) return true;
      throw new AuthException(AuthExceptionCode.TOKEN_INVALID, 'this route takes the internal service token only');
    }

    const operator = await this.auth.authenticate(token);
    if (!operator) throw new AuthException(AuthExceptionCode.TOKEN_INVALID, 'invalid or expired token');
    request.operator = operator;
    const roles = this.reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(operator.role)) {
      throw new AuthException(AuthExceptionCode.FORBIDDEN_ROLE, `requires role ${roles.join(' or ')}; you are ${operator.role}`);
    }
    return true;
  }
}
