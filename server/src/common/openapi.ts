import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** OpenAPI schema of a contracts zod schema (what a client must send); minimal if it cannot be expressed. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  try {
    const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return json as SchemaObject;
  } catch {
    return { type: 'object' };
  }
}
