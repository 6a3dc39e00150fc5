// npm run admin -- ensure | reset-password
// reset-password reads the new password from a prompt (a terminal) or from stdin (one line), never from
// the command line, where every local user could read it in the process list. Empty: one is generated.
import os from 'node:os';
import readline from 'node:readline';
import { recordAudit } from '@/lib/audit/audit-log';
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
    if (args.includes('--password')) throw new Error('--password is no more: it would show the password in the process list; type it at the prompt or pipe it on stdin');
    const typed = await readNewPassword();
    const password = typed || generatePassword();
    await resetPassword(ADMIN_USERNAME, password);
    await recordAudit({
      actor: `cli:${os.userInfo().username}`,
      address: '',
      action: 'user.password',
      target: ADMIN_USERNAME,
      result: 'ok',
      detail: 'reset on the server (admin again, enabled)',
    });
    console.log(`lifeboat: new password for "${ADMIN_USERNAME}" set (every session was signed out)`);
    if (!typed) console.log(`  password: ${password}`);
    return;
  }
  throw new Error('usage: npm run admin -- ensure | reset-password');
}

async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  const first = await hiddenPrompt('New password (empty: generate one): ');
  if (first && (await hiddenPrompt('Again: ')) !== first) throw new Error('the two passwords differ: nothing was changed');
  return first;
}

function hiddenPrompt(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write(question);
  output._writeToOutput = () => {};
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

main(...process.argv.slice(2)).catch((error) => {
  console.error(`lifeboat: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
