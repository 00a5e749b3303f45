import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';

const fileSchema = z.object({
  version: z.literal(1),
  server: z.string(),
  seed: z.number(),
  devices: z.number(),
  secrets: z.record(z.string(), z.string().min(1)),
});
export type CredentialsFile = z.infer<typeof fileSchema>;

/**
 * One file per seed, holding every secret ever provisioned for it: runs with a different fleet
 * size share device ids, and a per-size file would leave the other size's secrets stale after a
 * rotation (its devices would then be refused).
 */
export function defaultCredentialsPath(seed: number): string {
  return `.data/sim/credentials-${seed}.json`;
}

/** Reads the credentials file; null when it does not exist yet. A corrupt file is an error, not silently replaced. */
export async function loadCredentials(path: string): Promise<CredentialsFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SimError(SimErrorCode.CredentialsFile, `cannot read credentials file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SimError(SimErrorCode.CredentialsFile, `credentials file ${path} is not JSON; delete it to re-provision`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SimError(SimErrorCode.CredentialsFile, `credentials file ${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Writes atomically (temp + rename), owner-only: these are device passwords. */
export async function saveCredentials(path: string, data: CredentialsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(data, null, 1), { mode: 0o600 });
  await rename(tmp, path);
}
