import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { CreateOperatorRequest, LoginRequest, LoginResponse, OperatorResponse, OperatorRole } from '@sanitation/contracts';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { AuthException, AuthExceptionCode } from './auth.exception.js';
import { OperatorsRepository } from './operators.repository.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

export interface AuthenticatedOperator {
  username: string;
  role: OperatorRole;
}

export const ADMIN_USERNAME = 'admin';
/** Where the generated first admin password is printed, besides the log (tests may replace it). */
export const ADMIN_PASSWORD_SINK = Symbol('ADMIN_PASSWORD_SINK');
export type AdminPasswordSink = (line: string) => void;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly internalTokenHash: Buffer;
  // Verifies unknown usernames against a real hash too, so timing does not reveal which exist.
  private readonly dummyHash = hashPassword(generatePassword());

  constructor(
    private readonly operators: OperatorsRepository,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(ADMIN_PASSWORD_SINK) private readonly printAdminPassword: AdminPasswordSink,
  ) {
    this.logger = logger.child({ module: 'auth' });
    this.internalTokenHash = createHash('sha256').update(config.INTERNAL_TOKEN).digest();
  }

  /**
   * First start: create `admin`. With ADMIN_PASSWORD set the admin's password is (re)set to it at
   * every start, so the setting is always honoured; without it a password is generated and printed once.
   */
  async onApplicationBootstrap(): Promise<void> {
    const preset = this.config.ADMIN_PASSWORD;
    const existing = await this.operators.find(ADMIN_USERNAME);
    if (existing) {
      if (preset && !(await verifyPassword(preset, existing.passwordHash))) {
        await this.operators.setPasswordHash(ADMIN_USERNAME, await hashPassword(preset));
        this.logger.info('admin password reset to ADMIN_PASSWORD');
      }
      return;
    }
    const password = preset ?? generatePassword();
    const created = await this.operators.create(ADMIN_USERNAME, await hashPassword(password), 'admin');
    if (!created || preset) return; // another instance won the race, or the operator knows the password
    this.logger.warn({ username: ADMIN_USERNAME }, 'created the first operator with a generated password (printed once on stdout)');
    this.printAdminPassword(
      `\n  First start: created operator "${ADMIN_USERNAME}" with password ${password}\n` +
        '  It is shown only this once. Log in with POST /api/auth/login; set ADMIN_PASSWORD to choose your own.\n\n',
    );
  }

  async login(request: LoginRequest): Promise<LoginResponse> {
    const operator = await this.operators.find(request.username);
    const valid = await verifyPassword(request.password, operator?.passwordHash ?? (await this.dummyHash));
    if (!operator || !valid) throw new AuthException(AuthExceptionCode.INVALID_CREDENTIALS, 'wrong username or password');
    await this.operators.deleteExpiredTokens();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.TOKEN_TTL_H * 3_600_000);
    await this.operators.saveToken(sha256(token), operator.username, expiresAt);
    return { token, expiresAt: expiresAt.toISOString(), user: { username: operator.username, role: operator.role } };
  }

  async authenticate(token: string): Promise<AuthenticatedOperator | null> {
    return this.operators.findByToken(sha256(token));
  }

  isInternalToken(token: string): boolean {
    const candidate = createHash('sha256').update(token).digest();
    return timingSafeEqual(candidate, this.internalTokenHash);
  }

  async createOperator(request: CreateOperatorRequest): Promise<OperatorResponse> {
    const created = await this.operators.create(request.username, await hashPassword(request.password), request.role);
    if (!created) throw new AuthException(AuthExceptionCode.OPERATOR_ALREADY_EXISTS, `operator "${request.username}" already exists`);
    return { username: created.username, role: created.role, createdAt: created.createdAt };
  }
}
