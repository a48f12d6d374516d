// A relying party built on openid-client (OpenID-certified), run by the Rust tests
// (idp/tests/idp_oidc_rp.rs) against the provider core served on loopback.
//
//   node oidc-rp.mjs ISSUER CLIENT_ID CLIENT_SECRET basic|post REDIRECT_URI
//
// Prints {"authorize": URL}, reads the callback URL (where the provider redirected the
// browser) as one line on standard input, redeems the code, checks the ID token, calls
// userinfo, and prints {"ok":true,"claims":…,"userinfo":…} or {"ok":false,"error":…}.
import * as client from "openid-client";
import { createInterface } from "node:readline";

const [issuer, clientId, clientSecret, method, redirectUri] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

try {
  const auth =
    method === "post" ? client.ClientSecretPost(clientSecret) : client.ClientSecretBasic(clientSecret);
  // Loopback http only: the tests serve on 127.0.0.1.
  const config = await client.discovery(new URL(issuer), clientId, undefined, auth, {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile email",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  console.log(JSON.stringify({ authorize: url.href }));
  const callback = (await lines.next()).value;
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  console.log(JSON.stringify({ ok: true, claims, userinfo }));
} catch (e) {
  console.log(
    JSON.stringify({
      ok: false,
      error: `${e.code || ""} ${e.error || ""} ${e.message}`,
      status: e.status ?? e.response?.status ?? null,
    }),
  );
}
process.exit(0);
