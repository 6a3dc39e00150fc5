import { z } from 'zod';

const pem = (label: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || v.includes('-----BEGIN'), `${label} is not PEM text (it should start with -----BEGIN …)`);

export const endpointInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'give the endpoint a name')
      .max(64, 'the name is longer than 64 characters')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dots, dashes and underscores in the name'),
    url: z.string().trim().min(1, 'give the engine URL: unix:///var/run/docker.sock or tcp://host:2376'),
    ca: pem('ca.pem'),
    cert: pem('cert.pem'),
    key: pem('key.pem'),
    // A checkbox ("on"), or a boolean from the API and the scripts.
    allowPlainTcp: z.preprocess((v) => (v === true || v === 'on' || v === 'true' ? true : undefined), z.literal(true).optional()),
  })
  .refine((v) => [v.ca, v.cert, v.key].every(Boolean) || [v.ca, v.cert, v.key].every((x) => !x), {
    message: 'TLS needs all three files: ca.pem, cert.pem and key.pem',
    path: ['ca'],
  });

export type EndpointInput = z.infer<typeof endpointInputSchema>;
