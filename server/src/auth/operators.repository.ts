import { Inject, Injectable } from '@nestjs/common';
import type { OperatorRole } from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

export interface Operator {
  username: string;
  role: OperatorRole;
  passwordHash: string;
  createdAt: string;
}

interface OperatorRow {
  username: string;
  role: OperatorRole;
  password_hash: string;
  created_at: Date | string;
}

const toOperator = (r: OperatorRow): Operator => ({
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Operators and their bearer tokens (stored hashed, so several server instances share them). */
@Injectable()
export class OperatorsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async find(username: string): Promise<Operator | null> {
    const rows = await this.db.query<OperatorRow>('SELECT * FROM operators WHERE username = $1', [username]);
    return rows[0] ? toOperator(rows[0]) : null;
  }

  /** Null when the username is taken (two instances bootstrapping at once: one wins). */
  async create(username: string, passwordHash: string, role: OperatorRole): Promise<Operator | null> {
    const rows = await this.db.query<OperatorRow>(
      `INSERT INTO operators (username, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO NOTHING RETURNING *`,
      [username, passwordHash, role],
    );
    return rows[0] ? toOperator(rows[0]) : null;
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    await this.db.query('UPDATE operators SET password_hash = $2 WHERE username = $1', [username, passwordHash]);
  }

  async saveToken(tokenHash: string, username: string, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO operator_tokens (token_hash, username, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      username,
      expiresAt.toISOString(),
    ]);
  }

  /** The operator owning an unexpired token, or null. */
  async findByToken(tokenHash: string): Promise<Pick<Operator, 'username' | 'role'> | null> {
    const rows = await this.db.query<{ username: string; role: OperatorRole }>(
      `SELECT o.username, o.role FROM operator_tokens t JOIN operators o ON o.username = t.username
       WHERE t.token_hash = $1 AND t.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async deleteExpiredTokens(): Promise<number> {
    const rows = await this.db.query('DELETE FROM operator_tokens WHERE expires_at <= now() RETURNING 1');
    return rows.length;
  }
}
