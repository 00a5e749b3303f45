import { SetMetadata } from '@nestjs/common';
import type { OperatorRole } from '@sanitation/contracts';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';
export const INTERNAL_KEY = 'auth:internal';

/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Operator token with one of these roles (any role when the decorator is absent). */
export const Roles = (...roles: OperatorRole[]) => SetMetadata(ROLES_KEY, roles);
/** Service-to-service route: bearer INTERNAL_TOKEN, operator tokens are refused. */
export const InternalOnly = () => SetMetadata(INTERNAL_KEY, true);
