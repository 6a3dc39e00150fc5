import { signInAsAdmin } from '../support/sign-in';
import { test as setup } from './fixtures';

setup('sign in as the admin of the one-controller server', ({ page }) => signInAsAdmin(page, 'e2e/.auth/one-controller.json'));
