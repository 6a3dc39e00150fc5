// npm run admin -- ensure | reset-password [--password P]
import { generatePassword } from '@/lib/auth/password';
import { ADMIN_USERNAME, ensureAdmin, resetPassword } from '@/lib/auth/users';

async function main(command = 'ensure', ...args: string[]) {
  if (command === 'ensure') {
    const admin = await ensureAdmin();
    if (!admin.created) {
      console.log(`lifeboat: sign in as "${ADMIN_USERNAME}". Forgot the password? npm run admin -- reset-password`);
    } else if (admin.generated) {
      console.log(`lifeboat: created the admin account (shown once)\n  user:     ${ADMIN_USERNAME}\n  password: ${admin.password}`);
    } else {
      console.log(`lifeboat: created the admin account "${ADMIN_USERNAME}" with LIFEBOAT_ADMIN_PASSWORD`);
    }
    return;
  }
  if (command === 'reset-password') {
    const given = args[args.indexOf('--password') + 1];
    const password = args.includes('--password') && given ? given : generatePassword();
    if (password.length < 8) throw new Error('the password must have at least 8 characters');
    await resetPassword(ADMIN_USERNAME, password);
    console.log(`lifeboat: new password for "${ADMIN_USERNAME}" (every session was signed out)\n  password: ${password}`);
    return;
  }
  throw new Error('usage: npm run admin -- ensure | reset-password [--password P]');
}

main(...process.argv.slice(2)).catch((error) => {
  console.error(`lifeboat: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
