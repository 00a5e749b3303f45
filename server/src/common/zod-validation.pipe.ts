import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface ValidationIssue {
  path: string;
  message: string;
}

/** `features.3.properties.kind`; the root is `(body)`/`(query)`. */
export function issuePath(path: readonly PropertyKey[], root = '(body)'): string {
  return path.length ? path.map(String).join('.') : root;
}

export function toIssues(error: z.ZodError, root?: string): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path, root), message: issue.message }));
}

/**
 * Validates a body or query with a contracts zod schema. Answers 400
 * `{ statusCode, error, message, issues: [{ path, message }] }`, the message naming the fields.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly root = '(body)',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const issues = toIssues(result.error, this.root);
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
    if (issues.length > shown.length) shown.push(`… and ${issues.length - shown.length} more`);
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: shown.join('; '),
      issues,
    });
  }
}
