// An admin SPA's session against a running gerbang, with the typed documents codegen made
// from schema.graphql and a real client library (graphql-request).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ClientError, GraphQLClient } from 'graphql-request';

import {
  BeginTotpEnrollmentDocument,
  ChangePasswordDocument,
  CompleteLoginDocument,
  ConfirmTotpEnrollmentDocument,
  CreateApiKeyDocument,
  CreateRoleDocument,
  CreateUserDocument,
  DeleteRoleDocument,
  DeleteUserDocument,
  DisableTotpDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  MyApiKeysDocument,
  MyMfaMethodsDocument,
  RefreshDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  RevokeApiKeyDocument,
  RoleWithMembersDocument,
  RolesDocument,
  SetUserPasswordDocument,
  UpdateRoleDocument,
  UpdateUserDocument,
  UserDetailDocument,
  UsersDocument,
  type UsersQuery,
} from './gql/graphql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, ENDPOINT, MAIL_DIR, check } from './env.js';
import { hotp, timeStep, totp } from './totp.js';

// gerbang mails through an SMTP sink that stores each mail as a JSON file (.ci/run starts it).
if (!MAIL_DIR) {
  throw new Error('GERBANG_MAIL_DIR must name the directory of the SMTP sink gerbang mails through');
}
const mailDir = MAIL_DIR;

function client(accessToken?: string): GraphQLClient {
  return new GraphQLClient(ENDPOINT, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
}

type ErrorExtensions = {
  code?: string;
  // Which rule refused a FORBIDDEN other than a missing permission (PERSON_ONLY, ...).
  reason?: string;
  fields?: Record<string, string[]>;
  // A `login` that needs a second factor: the token `completeLogin` takes, and the factors.
  mfaRequired?: boolean;
  mfaToken?: string;
  methods?: string[];
};

/** The `extensions` of the first error a call fails with (`fields` name bad inputs). */
async function errorOf(call: () => Promise<unknown>): Promise<ErrorExtensions | undefined> {
  try {
    await call();
    return undefined;
  } catch (e) {
    if (e instanceof ClientError) {
      return (e.response.errors?.[0]?.extensions ?? {}) as ErrorExtensions;
    }
    throw e;
  }
}

/** The `extensions.code` of the first error a call fails with. */
async function errorCode(call: () => Promise<unknown>): Promise<string | undefined> {
  return (await errorOf(call))?.code;
}

/** A mail as the SMTP sink stored it (the keys used here). */
type Mail = { rcpt_tos: string[]; subject: string; text: string | null; html: string | null };

/** Every mail the sink has received so far, in arrival order. */
function mails(): Mail[] {
  return readdirSync(mailDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(mailDir, name), 'utf8')) as Mail);
}

/** The first mail to `address`, waiting up to 15 s for gerbang's outbox to send it. */
async function mailTo(address: string): Promise<Mail | undefined> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mail = mails().find((m) => m.rcpt_tos.includes(address));
    if (mail || Date.now() > deadline) return mail;
    await sleep(200);
  }
}

const run = Date.now().toString(36);

// Sign in as the developer.
const login = (await client().request(LoginDocument, { usernameOrEmail: ADMIN_EMAIL, password: ADMIN_PASSWORD })).login;
check(login.tokenType === 'Bearer' && login.expiresIn > 0, 'login returns a bearer token');
let admin = client(login.accessToken);

const me = (await admin.request(MeDocument)).me;
check(me.email === ADMIN_EMAIL, 'me is the signed-in developer');
check(me.permissions.includes('ROLE_WRITE'), 'the developer holds ROLE_WRITE');

// Roles.
const roles = (await admin.request(RolesDocument)).roles;
check(roles.map((r) => r.name).slice(0, 3).join() === 'developer,admin,user', 'system roles come first');
const created = (
  await admin.request(CreateRoleDocument, {
    input: { name: `support-${run}`, code: 900 + (Date.now() % 90), description: 'Support desk', permissions: ['USER_READ'] },
  })
).createRole;
check(!created.isSystem && created.permissions.join() === 'USER_READ', 'createRole');
const renamed = (await admin.request(UpdateRoleDocument, { id: created.id, input: { description: null } })).updateRole;
check(renamed.description === null, 'updateRole clears a field with an explicit null');

// Users.
const email = `agent-${run}@example.com`;
const user = (
  await admin.request(CreateUserDocument, {
    input: {
      email,
      password: 'a long enough passphrase',
      username: `agent${run}`,
      displayName: 'Agent',
      attributes: { orgUnitId: 7 },
      roleIds: [created.id],
    },
  })
).createUser;
check(user.roles.some((r) => r.id === created.id), 'createUser with a role');
const detail = (await admin.request(UserDetailDocument, { id: user.id })).user;
check(detail?.email === email && (detail.attributes as { orgUnitId: number }).orgUnitId === 7, 'user detail');
const updated = (await admin.request(UpdateUserDocument, { id: user.id, input: { displayName: 'Agent Smith', phoneNumber: '+6281234567890' } })).updateUser;
check(updated.displayName === 'Agent Smith' && updated.username === user.username, 'updateUser is partial');

// Lists with filter and pagination.
const found = (await admin.request(UsersDocument, { first: 10, filter: { search: `AGENT-${run}` } })).users;
check(found.totalCount === 1 && found.edges[0]?.node.id === user.id, 'users with a search filter');
const members = (await admin.request(RoleWithMembersDocument, { id: created.id, first: 5 })).role;
check(members?.userCount === 1 && members.users?.nodes[0]?.id === user.id, 'role with its members');
check(members?.createdBy?.id === me.id, 'the role records its author');
const seen = new Set<string>();
let after: string | null | undefined = null;
for (;;) {
  const result: UsersQuery = await admin.request(UsersDocument, { first: 1, after, sort: { field: 'EMAIL', direction: 'ASC' } });
  const page = result.users;
  page.edges.forEach((e) => seen.add(e.node.id));
  if (!page.pageInfo.hasNextPage) break;
  after = page.pageInfo.endCursor;
}
check(seen.has(user.id) && seen.has(me.id), 'walking every page one user at a time');

// The new user signs in, refreshes, changes its password and logs out.
await admin.request(SetUserPasswordDocument, { id: user.id, password: 'a second fine passphrase' });
const agentLogin = (await client().request(LoginDocument, { usernameOrEmail: email.toUpperCase(), password: 'a second fine passphrase' })).login;
const refreshed = (await client().request(RefreshDocument, { refreshToken: agentLogin.refreshToken })).refreshToken;
check(refreshed.refreshToken !== agentLogin.refreshToken, 'refreshToken rotates the refresh token');
const agent = client(refreshed.accessToken);
check((await agent.request(MeDocument)).me.id === user.id, 'the refreshed access token works');
check((await agent.request(UsersDocument, { first: 1 })).users.edges.length === 1, 'its USER_READ role lets the agent list users');
check((await errorCode(() => agent.request(DeleteRoleDocument, { id: created.id }))) === 'FORBIDDEN', 'but not delete roles');
check(
  (await agent.request(ChangePasswordDocument, { currentPassword: 'a second fine passphrase', newPassword: 'a third fine passphrase' }))
    .changePassword,
  'changePassword',
);
check((await agent.request(LogoutDocument, {})).logout, 'logout');
check((await errorCode(() => agent.request(MeDocument))) === 'UNAUTHENTICATED', 'the access token is refused after logout');
check(
  (await errorCode(() => client().request(RefreshDocument, { refreshToken: refreshed.refreshToken }))) === 'UNAUTHENTICATED',
  'so is the refresh token',
);

// The agent forgets its password: the SPA asks for a reset link, gerbang mails it, and the
// page the link opens (/reset-password?token=…) sets a new one with the link's token.
const nobody = `nobody-${run}@example.com`;
check((await client().request(RequestPasswordResetDocument, { email })).requestPasswordReset, 'requestPasswordReset');
check(
  (await client().request(RequestPasswordResetDocument, { email: nobody })).requestPasswordReset,
  'requestPasswordReset answers true for an unknown address too',
);
const resetMail = await mailTo(email);
check(resetMail?.text && resetMail.html, 'the reset mail arrives, with a text and an html part');
const linkPrefix = `${APP_URL}/reset-password?token=`;
check(resetMail.text.includes(linkPrefix), `its text links to ${linkPrefix}…`);
const resetToken = resetMail.text.split(linkPrefix)[1]?.match(/^[A-Za-z0-9_-]+/)?.[0];
check(resetToken, 'the link carries a token');
check(
  (await client().request(ResetPasswordDocument, { token: resetToken, newPassword: 'a fourth fine passphrase' })).resetPassword,
  'resetPassword with the mailed token',
);
const resetLogin = (await client().request(LoginDocument, { usernameOrEmail: email, password: 'a fourth fine passphrase' })).login;
check(resetLogin.user.id === user.id, 'the new password signs in');
check(
  (await errorCode(() => client().request(LoginDocument, { usernameOrEmail: email, password: 'a third fine passphrase' }))) ===
    'UNAUTHENTICATED',
  'the old one is refused',
);
const reused = await errorOf(() =>
  client().request(ResetPasswordDocument, { token: resetToken, newPassword: 'a fifth fine passphrase' }),
);
check(reused?.code === 'BAD_USER_INPUT' && reused.fields?.['token'] !== undefined, 'the token works once (BAD_USER_INPUT, fields.token)');
check(!mails().some((m) => m.rcpt_tos.includes(nobody)), 'nothing was mailed to the unknown address');

// A script's credential: an API key that may only read users, shown once, revoked after.
// Like every new credential it takes the current password (or a recent sign-in).
const { createApiKey } = await admin.request(CreateApiKeyDocument, {
  input: { name: `nightly report ${run}`, permissions: ['USER_READ'], currentPassword: ADMIN_PASSWORD },
});
check(createApiKey.secret.startsWith(createApiKey.apiKey.prefix) && createApiKey.secret.startsWith('gbk_'), 'createApiKey shows the secret once');
const script = client(createApiKey.secret);
check((await script.request(MeDocument)).me.id === me.id, 'the key acts as its owner');
check((await script.request(UsersDocument, { first: 1 })).users.edges.length === 1, 'with the USER_READ it was given');
check(
  (await errorCode(() => script.request(DeleteRoleDocument, { id: created.id }))) === 'FORBIDDEN',
  'and nothing its owner holds beyond that',
);
const keyMakingKey = await errorOf(() => script.request(CreateApiKeyDocument, { input: { name: 'another' } }));
check(keyMakingKey?.code === 'FORBIDDEN' && keyMakingKey.reason === 'PERSON_ONLY', 'a key cannot make keys (FORBIDDEN, reason PERSON_ONLY)');
const listed = (await admin.request(MyApiKeysDocument)).me.apiKeys ?? [];
check(listed.some((k) => k.id === createApiKey.apiKey.id && !('secret' in k)), 'me.apiKeys lists it, without the secret');
check((await admin.request(RevokeApiKeyDocument, { id: createApiKey.apiKey.id })).revokeApiKey === createApiKey.apiKey.id, 'revokeApiKey');
check((await errorCode(() => script.request(MeDocument))) === 'UNAUTHENTICATED', 'a revoked key is refused at once');

// A colleague turns on an authenticator app (TOTP). The settings page shows the QR code;
// the app (src/totp.ts plays it) shows a code; the page confirms with it and shows the ten
// recovery codes once. From then on a password alone gets an mfaToken, not tokens.
check(hotp(Buffer.from('12345678901234567890'), timeStep(59)) === '287082', "src/totp.ts meets RFC 6238's SHA-1 vector (T=59: 287082)");
const mfaEmail = `mfa-${run}@example.com`;
const mfaPassword = 'a passphrase and a phone';
const mfaUser = (await admin.request(CreateUserDocument, { input: { email: mfaEmail, password: mfaPassword } })).createUser;
const mfaLogin = (await client().request(LoginDocument, { usernameOrEmail: mfaEmail, password: mfaPassword })).login;
const colleague = client(mfaLogin.accessToken);
const wrongProof = await errorOf(() => colleague.request(BeginTotpEnrollmentDocument, { currentPassword: 'not the passphrase' }));
check(
  wrongProof?.code === 'BAD_USER_INPUT' && wrongProof.fields?.['currentPassword'] !== undefined,
  'beginTotpEnrollment with a wrong current password: BAD_USER_INPUT, fields.currentPassword',
);
const enrollment = (await colleague.request(BeginTotpEnrollmentDocument, { currentPassword: mfaPassword })).beginTotpEnrollment;
check(
  enrollment.otpauthUri.startsWith('otpauth://totp/') && new URL(enrollment.otpauthUri).searchParams.get('secret') === enrollment.secret,
  'beginTotpEnrollment: an otpauth://totp/ URI carrying the secret',
);
check(enrollment.qrSvg.includes('<svg'), 'and its QR code, as SVG');
check((await colleague.request(MyMfaMethodsDocument)).me.mfaMethods?.length === 0, 'me.mfaMethods stays empty until it is confirmed');
// The code the app shows now; its time step is spent once it is accepted.
const enrolledStep = timeStep();
const recoveryCodes = (await colleague.request(ConfirmTotpEnrollmentDocument, { code: totp(enrollment.secret, enrolledStep) }))
  .confirmTotpEnrollment;
check(recoveryCodes.length === 10 && new Set(recoveryCodes).size === 10, 'confirmTotpEnrollment with the current code: 10 recovery codes');
check(
  (await colleague.request(MyMfaMethodsDocument)).me.mfaMethods?.join() === 'TOTP,RECOVERY_CODE',
  'me.mfaMethods is [TOTP, RECOVERY_CODE]',
);
const mfaChallenge = () => errorOf(() => client().request(LoginDocument, { usernameOrEmail: mfaEmail, password: mfaPassword }));
const challenged = await mfaChallenge();
check(challenged?.code === 'UNAUTHENTICATED' && challenged.mfaRequired === true, 'login now answers UNAUTHENTICATED, mfaRequired');
check(
  challenged.mfaToken && challenged.methods?.join() === 'TOTP,RECOVERY_CODE',
  'with an mfaToken and the methods [TOTP, RECOVERY_CODE]',
);
const mfaToken = challenged.mfaToken;
// The enrolment spent the current step: the sign-in types the app's next code, which the
// server takes at once (it allows one step of skew either way) and for 30 s at least.
const nextCode = totp(enrollment.secret, enrolledStep + 1);
const completed = (await client().request(CompleteLoginDocument, { mfaToken, code: nextCode })).completeLogin;
check(completed.tokenType === 'Bearer' && completed.user.id === mfaUser.id, 'completeLogin with the next code returns tokens');
check((await client(completed.accessToken).request(MeDocument)).me.id === mfaUser.id, 'and its access token works');
check(
  (await errorCode(() => client().request(CompleteLoginDocument, { mfaToken, code: recoveryCodes[0]! }))) === 'UNAUTHENTICATED',
  'the mfaToken works once (UNAUTHENTICATED, even with a good recovery code)',
);
const replayed = (await mfaChallenge())?.mfaToken;
check(replayed, 'a second login asks for a code again');
check(
  (await errorCode(() => client().request(CompleteLoginDocument, { mfaToken: replayed, code: nextCode }))) === 'UNAUTHENTICATED',
  'an accepted TOTP code is refused the second time',
);
// The phone is lost: the colleague signs in with a recovery code, and turns TOTP off.
const lostPhone = (await mfaChallenge())?.mfaToken;
check(lostPhone, 'a third login asks for a code');
const recovered = (await client().request(CompleteLoginDocument, { mfaToken: lostPhone, code: recoveryCodes[0]! })).completeLogin;
check(recovered.user.id === mfaUser.id, 'completeLogin with a recovery code returns tokens');
const recoveryReused = (await mfaChallenge())?.mfaToken;
check(recoveryReused, 'a fourth login asks for a code');
check(
  (await errorCode(() => client().request(CompleteLoginDocument, { mfaToken: recoveryReused, code: recoveryCodes[0]! }))) ===
    'UNAUTHENTICATED',
  'a recovery code works once',
);
const phoneless = client(recovered.accessToken);
check((await phoneless.request(DisableTotpDocument, { currentPassword: mfaPassword })).disableTotp, 'disableTotp');
check((await phoneless.request(MyMfaMethodsDocument)).me.mfaMethods?.length === 0, 'me.mfaMethods is empty again');
const plainLogin = (await client().request(LoginDocument, { usernameOrEmail: mfaEmail, password: mfaPassword })).login;
check(plainLogin.user.id === mfaUser.id && plainLogin.accessToken, 'and login returns tokens directly');

// The developer refreshes too, then cleans up.
const adminRefreshed = (await client().request(RefreshDocument, { refreshToken: login.refreshToken })).refreshToken;
admin = client(adminRefreshed.accessToken);
check((await admin.request(DeleteUserDocument, { id: mfaUser.id })).deleteUser === mfaUser.id, 'deleteUser (the TOTP colleague)');
check((await admin.request(DeleteUserDocument, { id: user.id })).deleteUser === user.id, 'deleteUser');
check((await admin.request(DeleteRoleDocument, { id: created.id })).deleteRole === created.id, 'deleteRole');
check((await errorCode(() => admin.request(DeleteRoleDocument, { id: created.id }))) === 'NOT_FOUND', 'a deleted role is NOT_FOUND');
console.log('e2e: all checks passed');
