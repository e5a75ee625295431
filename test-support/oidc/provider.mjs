// The OpenID Connect provider the tests sign in through, standing in for VNeID: panva's
// oidc-provider (a certified implementation) with its development login pages, where any
// login is accepted. The login typed is the person's 12-digit personal ID; the subject the
// client sees is pairwise (an opaque identifier per client, as a national provider gives) and
// the personal ID travels in the `so_dinh_danh` claim (scope `cccd`), given in the UserInfo
// answer, as are the profile claims (not in the ID token: the spec's default for the code flow).
//
//   node provider.mjs            listens on OIDC_PORT (default 18190), 127.0.0.1
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (space separated) name the client.
//
// Prints "oidc-provider listening on <issuer>" once it answers.
import { createHash } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 18190);
const issuer = `http://127.0.0.1:${port}`;
const client = {
  client_id: process.env.OIDC_CLIENT_ID || 'motcua',
  client_secret: process.env.OIDC_CLIENT_SECRET || 'motcua-test-secret',
  redirect_uris: (process.env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:18181/dang-nhap/vneid/ve')
    .split(/\s+/).filter(Boolean),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  subject_type: 'pairwise',
};

// A few people with names; any other 12-digit login is a person named after the number.
const NAMES = {
  '001090000123': 'Nguyễn Văn An',
  '031095001234': 'Vũ Minh Anh',
};

const configuration = {
  clients: [client],
  claims: { openid: ['sub'], profile: ['name'], cccd: ['so_dinh_danh'] },
  scopes: ['openid', 'profile', 'cccd'],
  pkce: { required: () => true },
  subjectTypes: ['public', 'pairwise'],
  async pairwiseIdentifier(_ctx, accountId, { sectorIdentifier }) {
    return `vneid-${createHash('sha256').update(`${sectorIdentifier}:${accountId}`).digest('hex').slice(0, 24)}`;
  },
  cookies: { keys: ['motcua-test-oidc-cookie-key'] },
  async findAccount(_ctx, id) {
    if (!/^\d{12}$/.test(id)) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: NAMES[id] || `Công dân ${id}`, so_dinh_danh: id };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, err) => console.error('oidc-provider error', err));
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
