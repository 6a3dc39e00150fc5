// npm run token -- create NAME | list | revoke NAME
// `create` prints the token alone on its last line, so scripts can take it with `tail -n 1`.
import { createApiToken, listApiTokens, revokeApiToken } from '@/lib/auth/api-tokens';

async function main(command?: string, name?: string) {
  if (command === 'create' && name) {
    const created = await createApiToken(name);
    console.log(`lifeboat: token "${created.name}" created; only its hash is stored, so copy it now:`);
    console.log(created.token);
    return;
  }
  if (command === 'list') {
    for (const t of await listApiTokens()) console.log(`${t.name}\t${t.prefix}…\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`);
    return;
  }
  if (command === 'revoke' && name) {
    const token = (await listApiTokens()).find((t) => t.name === name);
    if (!token) throw new Error(`no token named "${name}"`);
    await revokeApiToken(token.id);
    console.log(`lifeboat: revoked "${name}"`);
    return;
  }
  throw new Error('usage: npm run token -- create NAME | list | revoke NAME');
}

main(...process.argv.slice(2)).catch((error) => {
  console.error(`lifeboat: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
