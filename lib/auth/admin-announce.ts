import 'server-only';
import { ensureAdmin } from './users';

/** Creates the admin account on first start and prints its password once. */
export async function announceAdmin() {
  const admin = await ensureAdmin();
  if (!admin.created) return;
  console.log(
    admin.generated
      ? `\nlifeboat: created the admin account.\n  user: admin\n  password: ${admin.password}\n  (shown once; reset it with: npm run admin -- reset-password)\n`
      : '\nlifeboat: created the admin account with LIFEBOAT_ADMIN_PASSWORD.\n',
  );
}
