import { LifeboatError } from '@/lib/errors';

/**
 * Who may do what. A user has a role; an API token has scopes. Both come down to permissions, checked at
 * every route handler, server action and page (and used to hide what a role cannot use).
 */
export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['read', 'backup', 'restore', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Permission =
  /** Nodes, volumes, history, policies, keys and metrics: to look at. */
  | 'read'
  | 'backup'
  | 'verify'
  | 'download'
  | 'restore'
  | 'run-policy'
  /** Users, endpoints, settings, tokens, keys, policies, webhooks, and deleting archives. */
  | 'manage';

export const PERMISSIONS: Permission[] = ['read', 'backup', 'verify', 'download', 'restore', 'run-policy', 'manage'];
const ALL = PERMISSIONS;

const ROLE_GRANTS: Record<Role, Permission[]> = {
  admin: ALL,
  operator: ['read', 'backup', 'verify', 'download', 'restore', 'run-policy'],
  viewer: ['read'],
};

// A backup or restore token may also read: a script follows the job it started.
const SCOPE_GRANTS: Record<Scope, Permission[]> = {
  read: ['read'],
  backup: ['read', 'backup', 'verify', 'download'],
  restore: ['read', 'restore', 'verify'],
  admin: ALL,
};

export type Grantee = { kind: 'user'; role: Role } | { kind: 'token'; scopes: Scope[] };

export function can(grantee: Grantee, permission: Permission): boolean {
  const grants = grantee.kind === 'user' ? ROLE_GRANTS[grantee.role] : grantee.scopes.flatMap((scope) => SCOPE_GRANTS[scope]);
  return grants.includes(permission);
}

/** Every permission and whether `grantee` has it: what a page passes to its client components. */
export function grantsOf(grantee: Grantee): Record<Permission, boolean> {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, can(grantee, p)])) as Record<Permission, boolean>;
}

const DOING: Record<Permission, string> = {
  read: 'see this',
  backup: 'back up',
  verify: 'verify archives',
  download: 'download archives',
  restore: 'restore',
  'run-policy': 'run policies',
  manage: 'change users, endpoints, settings, keys or policies, or delete archives',
};

/** Why `grantee` may not: "a viewer cannot download archives". */
export function refusalFor(grantee: Grantee, permission: Permission): string {
  return grantee.kind === 'user'
    ? `${/^[aeiou]/.test(grantee.role) ? 'an' : 'a'} ${grantee.role} cannot ${DOING[permission]}`
    : `this token's scopes (${grantee.scopes.join(', ')}) do not allow it to ${DOING[permission]}`;
}

export function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}

/** Scopes as stored ("read,backup"); unknown words are dropped. */
export function parseScopes(stored: string): Scope[] {
  return stored.split(',').filter((s): s is Scope => SCOPES.includes(s as Scope));
}

/** Throws the 403 a route or action answers when `grantee` may not. */
export function authorize(grantee: Grantee, permission: Permission): void {
  if (!can(grantee, permission)) throw new LifeboatError('forbidden', refusalFor(grantee, permission));
}
