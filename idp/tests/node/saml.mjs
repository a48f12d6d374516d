// Independent verifier for the identity provider's SAML output, run by the Rust tests
// (idp/tests/idp_saml.rs): @node-saml/node-saml as a real service provider would use it.
//
//   node saml.mjs validate JOB.json  -> validates JOB.responseFile as an SP; prints JSON
//                                       {"ok":true,"profile":{…}} or {"ok":false,"error":"…"}
//   node saml.mjs request JOB.json   -> prints the AuthnRequest node-saml sends:
//                                       {"url":"…"} (HTTP-Redirect) or {"form":"…"} (HTTP-POST)
//
// JOB: {sp entity ID "issuer", ACS "callbackUrl", IdP "entryPoint", "certFile",
//       "inResponseTo" (request ID to expect, or null), "forceAuthn", "binding"}.
import { readFileSync } from "node:fs";
import { SAML } from "@node-saml/node-saml";

const [mode, jobFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, "utf8"));

function sp(extra = {}) {
  return new SAML({
    issuer: job.issuer,
    callbackUrl: job.callbackUrl,
    entryPoint: job.entryPoint,
    idpCert: job.certFile ? readFileSync(job.certFile, "utf8") : "unused",
    audience: job.issuer,
    // Both signatures required: the Response's and the Assertion's.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    acceptedClockSkewMs: 0,
    validateInResponseTo: job.inResponseTo ? "always" : "never",
    ...extra,
  });
}

try {
  if (mode === "validate") {
    const saml = sp({ idpIssuer: job.idpIssuer });
    if (job.inResponseTo) {
      await saml.cacheProvider.saveAsync(job.inResponseTo, new Date().toISOString());
    }
    const response = readFileSync(job.responseFile, "utf8");
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: Buffer.from(response, "utf8").toString("base64"),
    });
    console.log(JSON.stringify({ ok: true, profile }));
  } else if (mode === "request") {
    const saml = sp({
      forceAuthn: Boolean(job.forceAuthn),
      skipRequestCompression: Boolean(job.skipRequestCompression),
      authnRequestBinding: job.binding === "post" ? "HTTP-POST" : "HTTP-Redirect",
    });
    if (job.binding === "post") {
      console.log(JSON.stringify({ form: await saml.getAuthorizeFormAsync("relay-1") }));
    } else {
      console.log(JSON.stringify({ url: await saml.getAuthorizeUrlAsync("relay-1", undefined, {}) }));
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && e.message ? e.message : e) }));
}
