// The e2e server's moderator: an admin made by `shortscience create-admin` before the server
// starts (playwright.config.ts), so every spec and both projects sign in as the same account.
export const moderator = {
  username: 'e2e-admin',
  email: 'e2e-admin@example.org',
  password: 'moderator passphrase for e2e',
};
