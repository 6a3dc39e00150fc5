export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_input'
  | 'too_large'
  | 'too_many_requests'
  | 'wrong_passphrase'
  | 'conflict'
  | 'no_room'
  | 'engine_unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  too_large: 413,
  too_many_requests: 429,
  wrong_passphrase: 400,
  conflict: 409,
  no_room: 507,
  engine_unavailable: 502,
  internal: 500,
};

/** The one error type the domain throws for failures a user should read. */
export class LifeboatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LifeboatError';
  }

  get status() {
    return statusOf[this.code];
  }
}

/** Refuses bad input (an archive, a request) in words the operator can act on. */
export function invalid(message: string): never {
  throw new LifeboatError('invalid_input', message);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
