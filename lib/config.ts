import 'server-only';
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  LIFEBOAT_DATA_DIR: z.string().min(1).default('data'),
  LIFEBOAT_ENGINE_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  LIFEBOAT_SECRET: z.string().min(16, 'LIFEBOAT_SECRET must be at least 16 characters').optional(),
  LIFEBOAT_SESSION_HOURS: z.coerce.number().positive().default(12),
  LIFEBOAT_SECURE_COOKIES: z.enum(['0', '1']).default('0'),
});

function loadConfig() {
  const env = envSchema.parse(process.env);
  const dataDir = path.resolve(env.LIFEBOAT_DATA_DIR);
  return {
    dataDir,
    databaseFile: path.join(dataDir, 'lifeboat.db'),
    secretKeyFile: path.join(dataDir, 'secret.key'),
    secret: env.LIFEBOAT_SECRET,
    engineTimeoutMs: env.LIFEBOAT_ENGINE_TIMEOUT_MS,
    sessionHours: env.LIFEBOAT_SESSION_HOURS,
    secureCookies: env.LIFEBOAT_SECURE_COOKIES === '1',
  } as const;
}

/** Environment, validated once. */
export const config = loadConfig();
