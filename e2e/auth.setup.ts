import { test as setup } from '@playwright/test';
import { signInAsAdmin } from './support/sign-in';

setup('sign in as the admin', ({ page }) => signInAsAdmin(page, 'e2e/.auth/admin.json'));
