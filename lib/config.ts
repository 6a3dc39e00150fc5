import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '@/lib/errors';

const envSchema = z.object({
  LIFEBOAT_DATA_DIR: z.string().min(1).default('data'),
  LIFEBOAT_ENGINE_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  LIFEBOAT_STREAM_IDLE_MS: z.coerce.number().int().positive().default(30_000),
  LIFEBOAT_ENGINE_WORK_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  LIFEBOAT_SECRET: z.string().min(16, 'LIFEBOAT_SECRET must be at least 16 characters').optional(),
  // An archive upload (for a restore): at most this big, and cut when the client sends nothing for this long.
  LIFEBOAT_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 ** 3),
  LIFEBOAT_UPLOAD_IDLE_MS: z.coerce.number().int().positive().default(60_000),
  LIFEBOAT_SESSION_HOURS: z.coerce.number().positive().default(12),
  // How users reach Lifeboat; an https:// URL (or TLS served by Lifeboat itself) makes cookies Secure.
  LIFEBOAT_PUBLIC_URL: z.preprocess((value) => value || undefined, z.url({ protocol: /^https?$/, message: 'LIFEBOAT_PUBLIC_URL must be an http:// or https:// URL' }).optional()),
  LIFEBOAT_TLS_CERT: z.string().optional(),
  // An image reference as the engine takes it (name[:tag][@digest], or an ID), nothing that could reach another API path.
  LIFEBOAT_HELPER_IMAGE: z.preprocess(
    (value) => value || undefined,
    z
      .string()
      .regex(/^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/, 'LIFEBOAT_HELPER_IMAGE must be an image reference (name[:tag][@digest]) or an image ID')
      .optional(),
  ),
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
    streamIdleMs: env.LIFEBOAT_STREAM_IDLE_MS,
    sessionHours: env.LIFEBOAT_SESSION_HOURS,
    maxUploadBytes: env.LIFEBOAT_MAX_UPLOAD_BYTES,
    uploadIdleMs: env.LIFEBOAT_UPLOAD_IDLE_MS,
    // The same rule as scripts/server/options.mjs (HSTS).
    https: Boolean(env.LIFEBOAT_TLS_CERT) || env.LIFEBOAT_PUBLIC_URL?.startsWith('https:') === true,
  } as const;
}

/** Environment, validated once. */
export const config = loadConfig();

/** A deadline read from the environment as it is now (tests set it per file), validated as `config`'s are. */
function msFromEnv(name: 'LIFEBOAT_STREAM_IDLE_MS' | 'LIFEBOAT_ENGINE_WORK_TIMEOUT_MS'): number {
  const raw = process.env[name];
  const parsed = envSchema.shape[name].safeParse(raw);
  if (!parsed.success) throw new Error(`${name} must be a positive whole number of ms, not ${JSON.stringify(raw)}`);
  return parsed.data;
}

/** How long an engine may keep a volume's tar stream waiting, mid-copy, before the job fails. */
export const streamIdleMs = () => msFromEnv('LIFEBOAT_STREAM_IDLE_MS');

/** The deadline of an engine call that makes it work (start, remove, create a volume or a helper, read a helper's output). */
export const engineWorkTimeoutMs = () => msFromEnv('LIFEBOAT_ENGINE_WORK_TIMEOUT_MS');

/** LIFEBOAT_HELPER_IMAGE as it is now, validated as at boot: the image helper containers run instead of Lifeboat's own. */
export function helperImageOverride(): string | undefined {
  const parsed = envSchema.shape.LIFEBOAT_HELPER_IMAGE.safeParse(process.env.LIFEBOAT_HELPER_IMAGE);
  if (!parsed.success) throw new LifeboatError('invalid_input', parsed.error.issues[0]?.message ?? 'LIFEBOAT_HELPER_IMAGE is not an image reference');
  return parsed.data;
}
