// npm run token -- create NAME [--scopes read,backup,restore,admin] [--expires-in-days N] | list | revoke NAME
// `create` prints the token alone on its last line, so scripts can take it with `tail -n 1`. Without
// --scopes a token made here (by root on the server) is an admin token.
import os from 'node:os';
import { recordAudit } from '@/lib/audit/audit-log';
import { createApiToken, listApiTokens, revokeApiToken } from '@/lib/auth/api-tokens';
import { tokenExpiry, tokenInputSchema } from '@/lib/validations/token';

// What root does on the server is in the audit log too, with the Unix user as who.
const audit = (action: string, target: string) => recordAudit({ actor: `cli:${os.userInfo().username}`, address: '', action, target, result: 'ok' });

const option = (args: string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);

async function main(command?: string, name?: string, ...args: string[]) {
  if (command === 'create' && name) {
    const input = tokenInputSchema.parse({ name, scopes: (option(args, '--scopes') ?? 'admin').split(','), expiresInDays: option(args, '--expires-in-days') ?? 0 });
    const created = await createApiToken({ name: input.name, scopes: input.scopes, expiresAt: tokenExpiry(input.expiresInDays) });
    await audit('token.create', `${created.name} (${input.scopes.join(',')})`);
    console.log(`lifeboat: token "${created.name}" (${input.scopes.join(', ')}) created; only its hash is stored, so copy it now:`);
    console.log(created.token);
    return;
  }
  if (command === 'list') {
    for (const t of await listApiTokens()) {
      console.log(
        `${t.name}\t${t.prefix}…\t${t.scopes.join(',')}\t${t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'never expires'}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`,
      );
    }
    return;
  }
  if (command === 'revoke' && name) {
    const token = (await listApiTokens()).find((t) => t.name === name);
    if (!token) throw new Error(`no token named "${name}"`);
    await revokeApiToken(token.id);
    await audit('token.revoke', name);
    console.log(`lifeboat: revoked "${name}"`);
    return;
  }
  throw new Error('usage: npm run token -- create NAME [--scopes read,backup,restore,admin] [--expires-in-days N] | list | revoke NAME');
}

main(...process.argv.slice(2)).catch((error) => {
  console.error(`lifeboat: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
