// Independent verifier for the identity provider's ID tokens, run by the Rust tests
// (idp/tests/idp_oidc.rs): jose's jwtVerify against the provider's JWKS document.
//
//   node jwt.mjs JOB.json -> {"ok":true,"payload":{…},"header":{…}} or {"ok":false,"error":"…"}
//
// JOB: {"token", "jwks" (the JWKS document), "issuer", "audience", "currentDate" (ISO)}.
import { readFileSync } from "node:fs";
import { createLocalJWKSet, jwtVerify } from "jose";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
try {
  const { payload, protectedHeader } = await jwtVerify(job.token, createLocalJWKSet(job.jwks), {
    issuer: job.issuer,
    audience: job.audience,
    algorithms: ["RS256"],
    currentDate: new Date(job.currentDate),
  });
  console.log(JSON.stringify({ ok: true, payload, header: protectedHeader }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: `${e.code || ""} ${e.message}` }));
}
