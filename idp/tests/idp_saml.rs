//! The SAML 2.0 IdP core: metadata, AuthnRequests (HTTP-Redirect, HTTP-POST), signed
//! Responses. Signed output is verified by Debian's `xmlsec1` and by @node-saml/node-saml
//! (idp/tests/node/saml.mjs) with both signatures required; golden files hold the exact bytes.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use common::{golden, t0, temp_dir, test_key};
use oin_idp::check::{all_passed, CheckKind, Verdict};
use oin_idp::keys::Certificate;
use oin_idp::saml::*;
use oin_wizard::domain::{AttributeStatement, GroupAttributeStatement, GroupFilter};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const SSO: &str = "http://127.0.0.1:8231/app/0oa1saml/sso/saml";
const SP_ENTITY: &str = "https://sp.example/saml/metadata";
const ACS: &str = "https://sp.example/saml/acs";
const ACS_1: &str = "https://sp.example/saml/acs/1";

fn idp() -> IdentityProvider {
    IdentityProvider {
        entity_id: "http://127.0.0.1:8231/exk0oa1saml".into(),
        sso_url: SSO.into(),
    }
}

fn sp() -> ServiceProvider {
    let attr = |name: &str, values: &str| AttributeStatement {
        name: name.into(),
        values: values.into(),
    };
    ServiceProvider {
        entity_id: SP_ENTITY.into(),
        default_acs_url: ACS.into(),
        acs_urls: vec![(1, ACS_1.into())],
        attribute_statements: vec![
            attr("firstName", "${user.firstName}"),
            attr("email", "${user.email}"),
            attr(
                "domainLogin",
                "${fn:substringBefore(user.userName, '@')}@example.com",
            ),
            attr("tenant", "${org.subdomain}, static & <escaped>"),
            attr("broken", "${fn:nope(user.email)}"),
        ],
        group_attributes: vec![
            GroupAttributeStatement {
                name: "groups".into(),
                filter: GroupFilter::StartsWith,
                value: "oin-".into(),
            },
            GroupAttributeStatement {
                name: "admins".into(),
                filter: GroupFilter::Regex,
                value: "oin-(admins|owners)".into(),
            },
            GroupAttributeStatement {
                name: "none".into(),
                filter: GroupFilter::Equals,
                value: "nobody".into(),
            },
        ],
        variables: [("subdomain".to_string(), "berryfarm".to_string())].into(),
        default_relay_state: String::new(),
        force_authn: true,
    }
}

fn user() -> SamlUser {
    SamlUser {
        user_name: "ada@vendor.example".into(),
        email: "ada@vendor.example".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        groups: vec!["oin-testers".into(), "other".into(), "oin-admins".into()],
    }
}

fn cert() -> Certificate {
    test_key()
        .self_signed_certificate("OIN test IdP", t0(), t0() + Duration::days(3650))
        .expect("cert")
}

fn sp_request(id: &str) -> SsoRequest {
    SsoRequest {
        in_response_to: Some(id.into()),
        acs_url: ACS.into(),
        relay_state: Some("relay-1".into()),
        force_authn: false,
        is_passive: false,
    }
}

fn response(request: &SsoRequest, now: DateTime<Utc>) -> SignedResponse {
    let user = user();
    let input = ResponseInput {
        response_id: "_r1",
        assertion_id: "_a1",
        now,
        auth_instant: now - Duration::seconds(30),
        user: &user,
    };
    respond(
        &idp(),
        &sp(),
        request,
        &input,
        Signer {
            key: &test_key(),
            certificate: &cert(),
        },
    )
    .expect("signed")
}

fn assertion_of(xml: &str) -> &str {
    let start = xml.find("<saml:Assertion").expect("assertion");
    let end = xml.find("</saml:Assertion>").expect("end") + "</saml:Assertion>".len();
    &xml[start..end]
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// `xmlsec1 --verify` of the first signature in `xml`; Ok(()) when it verifies.
fn xmlsec1(dir: &Path, name: &str, xml: &str) -> Result<(), String> {
    let file = write(dir, name, xml);
    let cert = write(dir, "cert.pem", &cert().pem());
    let out = Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(&cert)
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&file)
        .output()
        .expect("xmlsec1 must be installed (./dev setup installs Debian's xmlsec1)");
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && text.contains("OK") {
        Ok(())
    } else {
        Err(text)
    }
}

fn node(mode: &str, job: Value) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/@node-saml/node-saml").is_dir(),
        "@node-saml/node-saml is not installed: run `npm ci` in idp/tests/node (./dev setup does)"
    );
    let tmp = temp_dir(&format!(
        "node-{mode}-{}",
        job["name"].as_str().unwrap_or("job")
    ));
    let job_file = write(&tmp, "job.json", &job.to_string());
    let out = Command::new("node")
        .arg(dir.join("saml.mjs"))
        .arg(mode)
        .arg(&job_file)
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| {
        panic!(
            "node said: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn node_validate(name: &str, xml: &str, in_response_to: Option<&str>, audience: &str) -> Value {
    let dir = temp_dir(&format!("node-files-{name}"));
    let response_file = write(&dir, "response.xml", xml);
    let cert_file = write(&dir, "cert.pem", &cert().pem());
    node(
        "validate",
        json!({
            "name": name,
            "issuer": audience,
            "callbackUrl": ACS,
            "entryPoint": SSO,
            "idpIssuer": idp().entity_id,
            "certFile": cert_file,
            "responseFile": response_file,
            "inResponseTo": in_response_to,
        }),
    )
}

#[test]
fn metadata_is_golden_and_names_both_bindings() {
    let xml = idp().metadata(&[cert()]);
    golden("saml-metadata.xml", &xml);
    assert!(xml.contains(&format!(
        "<md:SingleSignOnService Binding=\"{BINDING_REDIRECT}\" Location=\"{SSO}\">"
    )));
    assert!(xml.contains(&format!(
        "<md:SingleSignOnService Binding=\"{BINDING_POST}\" Location=\"{SSO}\">"
    )));
    assert!(xml.contains(&cert().base64()));
}

#[test]
fn responses_are_golden() {
    golden(
        "saml-response-sp.xml",
        &response(&sp_request("_req1"), t0()).xml,
    );
    golden(
        "saml-response-idp.xml",
        &response(&idp_initiated(&sp()).0, t0()).xml,
    );
}

#[test]
fn response_content_follows_the_request() {
    let r = response(&sp_request("_req1"), t0());
    let xml = &r.xml;
    for expected in [
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" Destination=\"https://sp.example/saml/acs\" ID=\"_r1\" InResponseTo=\"_req1\" IssueInstant=\"2026-12-04T12:00:00.000Z\" Version=\"2.0\">",
        "<saml:SubjectConfirmationData InResponseTo=\"_req1\" NotOnOrAfter=\"2026-12-04T12:05:00.000Z\" Recipient=\"https://sp.example/saml/acs\">",
        "<saml:Conditions NotBefore=\"2026-12-04T11:59:00.000Z\" NotOnOrAfter=\"2026-12-04T12:05:00.000Z\">",
        "<saml:Audience>https://sp.example/saml/metadata</saml:Audience>",
        "<saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">ada@vendor.example</saml:NameID>",
        "<saml:AuthnStatement AuthnInstant=\"2026-12-04T11:59:30.000Z\" SessionIndex=\"_a1\">",
        "<saml:Attribute Name=\"domainLogin\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified\"><saml:AttributeValue>ada@example.com</saml:AttributeValue></saml:Attribute>",
        "<saml:AttributeValue>berryfarm</saml:AttributeValue><saml:AttributeValue>static &amp; &lt;escaped&gt;</saml:AttributeValue>",
        "<saml:Attribute Name=\"groups\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified\"><saml:AttributeValue>oin-testers</saml:AttributeValue><saml:AttributeValue>oin-admins</saml:AttributeValue></saml:Attribute>",
        "<saml:Attribute Name=\"admins\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified\"><saml:AttributeValue>oin-admins</saml:AttributeValue></saml:Attribute>",
    ] {
        assert!(xml.contains(expected), "missing {expected}\nin {xml}");
    }
    assert!(
        !xml.contains("Name=\"none\""),
        "a group statement matching nothing is left out"
    );
    assert!(!xml.contains("Name=\"broken\""));
    let warned: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warning)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].starts_with("Attribute broken: ${fn:nope(user.email)} does not evaluate"),
        "{}",
        warned[0]
    );
    // The Response signature comes right after the Response's Issuer, the Assertion's after its own.
    assert!(xml.contains("</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"></ds:SignatureMethod><ds:Reference URI=\"#_r1\">"));
    assert!(assertion_of(xml).contains("<ds:Reference URI=\"#_a1\">"));
    assert_eq!(
        STANDARD.decode(&r.saml_response).expect("b64"),
        xml.as_bytes()
    );
    // IdP-initiated: no InResponseTo anywhere.
    let idp_xml = response(&idp_initiated(&sp()).0, t0()).xml;
    assert!(!idp_xml.contains("InResponseTo"));
}

#[test]
fn xmlsec1_verifies_the_response_and_the_assertion_signatures() {
    let dir = temp_dir("xmlsec1-ok");
    for (name, r) in [
        ("sp", response(&sp_request("_req1"), t0())),
        ("idp", response(&idp_initiated(&sp()).0, t0())),
    ] {
        xmlsec1(&dir, &format!("{name}-response.xml"), &r.xml)
            .expect("Response signature verifies");
        // The Assertion alone (it declares its own namespace): its own signature.
        xmlsec1(&dir, &format!("{name}-assertion.xml"), assertion_of(&r.xml))
            .expect("Assertion signature verifies");
    }
}

#[test]
fn xmlsec1_rejects_tampering() {
    let dir = temp_dir("xmlsec1-tampered");
    let xml = response(&sp_request("_req1"), t0()).xml;
    let in_assertion = xml.replace(
        "<saml:AttributeValue>Ada</saml:AttributeValue>",
        "<saml:AttributeValue>Eve</saml:AttributeValue>",
    );
    assert_ne!(in_assertion, xml);
    assert!(
        xmlsec1(&dir, "a.xml", &in_assertion).is_err(),
        "the Response digest covers the Assertion"
    );
    assert!(
        xmlsec1(&dir, "b.xml", assertion_of(&in_assertion)).is_err(),
        "the Assertion's own signature breaks"
    );
    let in_response = xml.replace(
        "Destination=\"https://sp.example/saml/acs\"",
        "Destination=\"https://evil.example/acs\"",
    );
    assert!(xmlsec1(&dir, "c.xml", &in_response).is_err());
    let other_key = common::test_key_2();
    let foreign = {
        let user = user();
        let input = ResponseInput {
            response_id: "_r1",
            assertion_id: "_a1",
            now: t0(),
            auth_instant: t0(),
            user: &user,
        };
        respond(
            &idp(),
            &sp(),
            &sp_request("_req1"),
            &input,
            Signer {
                key: &other_key,
                certificate: &cert(),
            },
        )
        .expect("signed")
        .xml
    };
    assert!(
        xmlsec1(&dir, "d.xml", &foreign).is_err(),
        "signed by a key that is not the certificate's"
    );
}

#[test]
fn node_saml_accepts_sp_and_idp_initiated_responses_with_both_signatures() {
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let r = response(&sp_request("_req1"), now);
    let v = node_validate("sp-ok", &r.xml, Some("_req1"), SP_ENTITY);
    assert_eq!(v["ok"], true, "{v}");
    let p = &v["profile"];
    assert_eq!(p["nameID"], "ada@vendor.example");
    assert_eq!(p["nameIDFormat"], NAMEID_EMAIL);
    assert_eq!(p["inResponseTo"], "_req1");
    assert_eq!(p["firstName"], "Ada");
    assert_eq!(p["domainLogin"], "ada@example.com");
    assert_eq!(p["tenant"], json!(["berryfarm", "static & <escaped>"]));
    assert_eq!(p["groups"], json!(["oin-testers", "oin-admins"]));
    assert_eq!(p["issuer"], idp().entity_id);

    let r = response(&idp_initiated(&sp()).0, now);
    let v = node_validate("idp-ok", &r.xml, None, SP_ENTITY);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["profile"]["nameID"], "ada@vendor.example");
}

#[test]
fn node_saml_rejects_tampered_expired_and_misdirected_responses() {
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let xml = response(&sp_request("_req1"), now).xml;
    // (case, response, expected InResponseTo, SP entity ID, expected error fragment)
    let tampered = xml.replace(
        "<saml:AttributeValue>Ada</saml:AttributeValue>",
        "<saml:AttributeValue>Eve</saml:AttributeValue>",
    );
    let expired = response(&sp_request("_req1"), now - Duration::hours(1)).xml;
    let rows = [
        (
            "tampered",
            tampered.as_str(),
            Some("_req1"),
            SP_ENTITY,
            "signature",
        ),
        // node-saml checks the bearer SubjectConfirmationData's NotOnOrAfter first.
        (
            "expired",
            expired.as_str(),
            Some("_req1"),
            SP_ENTITY,
            "no valid subject confirmation",
        ),
        (
            "audience",
            xml.as_str(),
            Some("_req1"),
            "https://other.example/sp",
            "audience",
        ),
        (
            "inresponseto",
            xml.as_str(),
            Some("_other"),
            SP_ENTITY,
            "InResponseTo",
        ),
    ];
    for (name, xml, irt, audience, fragment) in rows {
        let v = node_validate(name, xml, irt, audience);
        assert_eq!(v["ok"], false, "{name}: {v}");
        let error = v["error"].as_str().unwrap_or("").to_lowercase();
        assert!(error.contains(&fragment.to_lowercase()), "{name}: {error}");
    }
}

fn node_request(name: &str, binding: &str, force_authn: bool, deflate_post: bool) -> String {
    let v = node(
        "request",
        json!({"name": name, "issuer": SP_ENTITY, "callbackUrl": ACS, "entryPoint": SSO, "binding": binding, "forceAuthn": force_authn, "skipRequestCompression": binding == "post" && !deflate_post}),
    );
    match binding {
        "post" => {
            let form = v["form"].as_str().expect("form");
            let start = form
                .find("name=\"SAMLRequest\" value=\"")
                .expect("SAMLRequest")
                + "name=\"SAMLRequest\" value=\"".len();
            form[start..].split('"').next().expect("value").to_string()
        }
        _ => {
            let url = url::Url::parse(v["url"].as_str().expect("url")).expect("url");
            assert!(url.as_str().starts_with(SSO));
            url.query_pairs()
                .find(|(k, _)| k == "SAMLRequest")
                .expect("SAMLRequest")
                .1
                .to_string()
        }
    }
}

#[test]
fn authn_requests_from_node_saml_are_understood_in_both_bindings() {
    // (binding, …, ForceAuthn, node-saml's default DEFLATE on HTTP-POST)
    let rows = [
        ("redirect", Binding::Redirect, false, false),
        ("post", Binding::Post, true, false),
        ("post", Binding::Post, false, true),
    ];
    for (binding, b, force, deflated) in rows {
        let saml_request = node_request(&format!("{binding}-{deflated}"), binding, force, deflated);
        let sso = sp_initiated(&idp(), &sp(), b, &saml_request, Some("relay-1"));
        assert!(all_passed(&sso.checks), "{binding}: {:?}", sso.checks);
        let req = sso.outcome.expect("accepted");
        assert!(
            req.in_response_to
                .as_deref()
                .is_some_and(|id| id.starts_with('_')),
            "{req:?}"
        );
        assert_eq!(req.acs_url, ACS);
        assert_eq!(req.relay_state.as_deref(), Some("relay-1"));
        assert_eq!(req.force_authn, force);
        let kinds: Vec<(CheckKind, Verdict)> =
            sso.checks.iter().map(|c| (c.kind, c.verdict)).collect();
        let mut expected = vec![
            (CheckKind::Request, Verdict::Pass),
            (CheckKind::Issuer, Verdict::Pass),
            (CheckKind::Destination, Verdict::Pass),
            (CheckKind::Acs, Verdict::Pass),
        ];
        if deflated {
            expected.insert(0, (CheckKind::Request, Verdict::Warning));
        }
        assert_eq!(kinds, expected, "{binding} deflated={deflated}");
    }
}

fn redirect_encode(xml: &str) -> String {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(xml.as_bytes()).expect("deflate");
    STANDARD.encode(enc.finish().expect("deflate"))
}

fn authn_request(attrs: &str, issuer: &str) -> String {
    format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_q1\" Version=\"2.0\" IssueInstant=\"2026-12-04T12:00:00Z\" {attrs}>{issuer}</samlp:AuthnRequest>"
    )
}

const ISSUER_OK: &str = "<saml:Issuer>https://sp.example/saml/metadata</saml:Issuer>";

#[test]
fn authn_request_rules() {
    // (case, SAMLRequest as sent by HTTP-Redirect, expected ACS or error fragment, failed check)
    type Row<'a> = (&'a str, String, Result<&'a str, &'a str>, Option<CheckKind>);
    let rows: Vec<Row> = vec![
        ("default ACS", redirect_encode(&authn_request("", ISSUER_OK)), Ok(ACS), None),
        ("ACS URL", redirect_encode(&authn_request(&format!("AssertionConsumerServiceURL=\"{ACS_1}\""), ISSUER_OK)), Ok(ACS_1), None),
        ("ACS index", redirect_encode(&authn_request("AssertionConsumerServiceIndex=\"1\"", ISSUER_OK)), Ok(ACS_1), None),
        ("issuer with entity", redirect_encode(&authn_request("", "<saml:Issuer>https://sp.example/saml/metadata</saml:Issuer>")), Ok(ACS), None),
        ("unknown ACS URL", redirect_encode(&authn_request("AssertionConsumerServiceURL=\"https://evil.example/acs\"", ISSUER_OK)), Err("is not one of the instance's ACS URLs"), Some(CheckKind::Acs)),
        ("unknown index", redirect_encode(&authn_request("AssertionConsumerServiceIndex=\"7\"", ISSUER_OK)), Err("No ACS URL has the index 7"), Some(CheckKind::Acs)),
        ("URL and index", redirect_encode(&authn_request(&format!("AssertionConsumerServiceURL=\"{ACS}\" AssertionConsumerServiceIndex=\"1\""), ISSUER_OK)), Err("send one"), Some(CheckKind::Acs)),
        ("wrong issuer", redirect_encode(&authn_request("", "<saml:Issuer>https://other.example</saml:Issuer>")), Err("is not the instance's Entity ID"), Some(CheckKind::Issuer)),
        ("no issuer", redirect_encode(&authn_request("", "")), Err("has no Issuer"), Some(CheckKind::Issuer)),
        ("destination", redirect_encode(&authn_request("Destination=\"https://elsewhere.example/sso\"", ISSUER_OK)), Err("is not this IdP's SSO URL"), Some(CheckKind::Destination)),
        ("artifact binding", redirect_encode(&authn_request("ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\"", ISSUER_OK)), Err("is not supported"), Some(CheckKind::Binding)),
        ("version", redirect_encode(&authn_request("", ISSUER_OK).replace("Version=\"2.0\"", "Version=\"1.1\"")), Err("only 2.0"), Some(CheckKind::Request)),
        ("not base64", "***".into(), Err("not base64"), Some(CheckKind::Request)),
        ("not deflate", STANDARD.encode("plain text"), Err("DEFLATE"), Some(CheckKind::Request)),
        ("plain XML", STANDARD.encode(authn_request("", ISSUER_OK)), Ok(ACS), None),
        ("not XML", redirect_encode("<samlp:AuthnRequest"), Err("not well-formed"), Some(CheckKind::Request)),
        ("wrong root", redirect_encode("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_x\"></samlp:LogoutRequest>"), Err("not a samlp:AuthnRequest"), Some(CheckKind::Request)),
        ("wrong namespace", redirect_encode("<samlp:AuthnRequest xmlns:samlp=\"urn:example\" ID=\"_x\" Version=\"2.0\"></samlp:AuthnRequest>"), Err("not a samlp:AuthnRequest"), Some(CheckKind::Request)),
        ("doctype", redirect_encode(&format!("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>{}", authn_request("", ISSUER_OK))), Err("DOCTYPE"), Some(CheckKind::Request)),
        ("no ID", redirect_encode(&authn_request("", ISSUER_OK).replace("ID=\"_q1\"", "")), Err("no ID"), Some(CheckKind::Request)),
    ];
    for (case, saml_request, expected, failed) in rows {
        let sso = sp_initiated(&idp(), &sp(), Binding::Redirect, &saml_request, None);
        match (expected, &sso.outcome) {
            (Ok(acs), Ok(r)) => {
                assert_eq!(r.acs_url, acs, "{case}");
                assert_eq!(r.in_response_to.as_deref(), Some("_q1"), "{case}");
            }
            (Err(fragment), Err(page)) => assert!(
                page.description.contains(fragment),
                "{case}: {}",
                page.description
            ),
            (e, o) => panic!("{case}: expected {e:?}, got {o:?}"),
        }
        let fails: Vec<CheckKind> = sso
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::Fail)
            .map(|c| c.kind)
            .collect();
        assert_eq!(fails, failed.into_iter().collect::<Vec<_>>(), "{case}");
    }
}

#[test]
fn an_unsupported_name_id_format_is_a_warning() {
    let xml = authn_request("", &format!("{ISSUER_OK}<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\"/>"));
    let sso = sp_initiated(
        &idp(),
        &sp(),
        Binding::Redirect,
        &redirect_encode(&xml),
        None,
    );
    assert!(sso.outcome.is_ok());
    let warned: Vec<&str> = sso
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warning)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(warned, ["NameIDPolicy asks for urn:oasis:names:tc:SAML:2.0:nameid-format:persistent; the NameID is sent as urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"]);
}

#[test]
fn a_deflate_bomb_stops_at_the_limit() {
    let big = "a".repeat(MAX_INFLATED_BYTES + 10);
    let sso = sp_initiated(
        &idp(),
        &sp(),
        Binding::Redirect,
        &redirect_encode(&big),
        None,
    );
    assert!(sso
        .outcome
        .expect_err("refused")
        .description
        .contains("inflates to more than"));
}

#[test]
fn post_binding_requests_and_entities_in_text() {
    let xml = authn_request(
        "ForceAuthn=\"true\" IsPassive=\"false\"",
        "<saml:Issuer>https://sp.example/saml/&#109;etadata</saml:Issuer>",
    );
    let sso = sp_initiated(
        &idp(),
        &sp(),
        Binding::Post,
        &STANDARD.encode(&xml),
        Some(""),
    );
    let r = sso.outcome.expect("accepted");
    assert!(r.force_authn && !r.is_passive && r.relay_state.is_none());
}

#[test]
fn force_authn_and_is_passive() {
    let mut instance = sp();
    let forced = |f| SsoRequest {
        force_authn: f,
        ..sp_request("_q")
    };
    let passive = SsoRequest {
        is_passive: true,
        ..sp_request("_q")
    };
    // (instance ForceAuthn, request, has session, just signed in, expected)
    type Row = (bool, SsoRequest, bool, bool, Result<bool, ()>);
    let rows: [Row; 8] = [
        (true, forced(false), true, false, Ok(true)),
        (false, forced(false), true, false, Ok(false)),
        (false, forced(true), true, false, Ok(true)),
        (false, forced(false), false, false, Ok(true)),
        (true, forced(true), true, true, Ok(false)),
        (false, passive.clone(), true, false, Ok(false)),
        (false, passive.clone(), false, false, Err(())),
        (true, passive.clone(), true, false, Err(())),
    ];
    for (i, (instance_force, request, session, fresh, expected)) in rows.into_iter().enumerate() {
        instance.force_authn = instance_force;
        let (got, check) = needs_sign_in(&instance, &request, session, fresh);
        assert_eq!(got.map_err(|_| ()), expected, "row {i}");
        assert_eq!(check.verdict == Verdict::Fail, expected.is_err(), "row {i}");
    }
}

#[test]
fn post_form_is_golden() {
    golden(
        "saml-post-form.html",
        &post_form(&response(&sp_request("_req1"), t0())),
    );
}

#[test]
fn post_form_escapes_and_has_a_csp_hash() {
    let mut r = response(&sp_request("_req1"), t0());
    r.relay_state = Some("\"><script>alert(1)</script>".into());
    r.acs_url = "https://sp.example/acs?a=1&b=2".into();
    let html = post_form(&r);
    assert!(html.contains("action=\"https://sp.example/acs?a=1&amp;b=2\""));
    assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert_eq!(html.matches("<script>").count(), 1);
    assert!(html.contains(&format!("<script>{POST_FORM_SCRIPT}</script>")));
    // openssl dgst -sha256 -binary | base64 of the script text.
    assert_eq!(
        post_form_script_csp(),
        "'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='"
    );
}

#[test]
fn ids_must_be_xml_ids() {
    assert_eq!(saml_id("aB-9_x"), "_aB-9_x");
    let user = user();
    let input = ResponseInput {
        response_id: "1bad",
        assertion_id: "_a1",
        now: t0(),
        auth_instant: t0(),
        user: &user,
    };
    assert!(respond(
        &idp(),
        &sp(),
        &sp_request("_q"),
        &input,
        Signer {
            key: &test_key(),
            certificate: &cert()
        }
    )
    .is_err());
}

#[test]
fn the_service_provider_is_resolved_from_the_submission_and_instance() {
    use oin_wizard::domain::{AcsUrl, Instance, InstanceDetails, SamlDetails, Submission};
    let mut source = Submission::default();
    source.saml.entity_id = "https://${org.subdomain}.example.com/sp".into();
    source.saml.default_acs_url = "https://${org.subdomain}.example.com/acs".into();
    source.saml.other_acs_urls = vec![AcsUrl {
        url: "https://${org.subdomain}.example.com/acs/2".into(),
        index: "2".into(),
    }];
    let instance = Instance {
        variable_values: [("subdomain".to_string(), "berryfarm".to_string())].into(),
        details: InstanceDetails {
            saml: Some(SamlDetails {
                issuer: "http://127.0.0.1:8231/exk1".into(),
                sso_url: SSO.into(),
                default_relay_state: "rs".into(),
                force_authn: false,
                ..SamlDetails::default()
            }),
            ..InstanceDetails::default()
        },
        ..Instance::default()
    };
    let resolved = ServiceProvider::resolve(&source, &instance).expect("resolves");
    assert_eq!(resolved.entity_id, "https://berryfarm.example.com/sp");
    assert_eq!(
        resolved.default_acs_url,
        "https://berryfarm.example.com/acs"
    );
    assert_eq!(
        resolved.acs_urls,
        [(2, "https://berryfarm.example.com/acs/2".to_string())]
    );
    assert!(!resolved.force_authn);
    assert_eq!(
        idp_initiated(&resolved).0.relay_state.as_deref(),
        Some("rs")
    );
    let (_, checks) = idp_initiated(&resolved);
    assert_eq!(checks[1].line(), "ACS URL: pass — The default ACS URL https://berryfarm.example.com/acs (SAML profiles §4.1.5)");
    let idp = IdentityProvider::of_instance(&instance).expect("saml instance");
    assert_eq!(
        (idp.entity_id.as_str(), idp.sso_url.as_str()),
        ("http://127.0.0.1:8231/exk1", SSO)
    );
    source.saml.default_acs_url = "https://${org.subdomain".into();
    let err = ServiceProvider::resolve(&source, &instance).expect_err("unclosed");
    assert!(
        err.starts_with("The default ACS URL does not evaluate"),
        "{err}"
    );
}

#[test]
fn error_responses_are_signed_and_understood_by_node_saml() {
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let rows = [
        (
            ErrorStatus::NoPassive,
            "urn:oasis:names:tc:SAML:2.0:status:NoPassive",
            "The user must sign in",
        ),
        (
            ErrorStatus::RequestDenied,
            "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
            "ada@vendor.example is not assigned",
        ),
    ];
    for (status, code, message) in rows {
        let r = respond_error(
            &idp(),
            &sp_request("_req1"),
            status,
            message,
            "_e1",
            now,
            Signer {
                key: &test_key(),
                certificate: &cert(),
            },
        )
        .expect("signed");
        assert!(r.xml.contains(&format!("<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><samlp:StatusCode Value=\"{code}\"></samlp:StatusCode></samlp:StatusCode><samlp:StatusMessage>{message}</samlp:StatusMessage>")));
        assert!(!r.xml.contains("saml:Assertion"));
        xmlsec1(&temp_dir("xmlsec1-error"), "e.xml", &r.xml).expect("signature verifies");
        let v = node_validate(&format!("error-{code}"), &r.xml, Some("_req1"), SP_ENTITY);
        if status == ErrorStatus::NoPassive {
            // node-saml reads NoPassive as "not signed in": no profile, no error.
            assert_eq!(
                (v["ok"].clone(), v["profile"].clone()),
                (json!(true), Value::Null),
                "{v}"
            );
        } else {
            assert_eq!(v["ok"], false, "{v}");
            let error = v["error"].as_str().unwrap_or("");
            assert!(
                error.contains("Responder error: ada@vendor.example is not assigned"),
                "{error}"
            );
        }
    }
}

/// OASIS schemas from Debian (opensaml-schemas, xmltooling-schemas), resolved offline.
const SCHEMA_PROTOCOL: &str = "/usr/share/xml/opensaml/saml-schema-protocol-2.0.xsd";
const SCHEMA_METADATA: &str = "/usr/share/xml/opensaml/saml-schema-metadata-2.0.xsd";

fn xml_catalog(dir: &Path) -> PathBuf {
    let entries: String = [
        ("http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd", "xmldsig-core-schema.xsd"),
        ("http://www.w3.org/TR/2002/REC-xmlenc-core-20021210/xenc-schema.xsd", "xenc-schema.xsd"),
        ("http://www.w3.org/2001/xml.xsd", "xml.xsd"),
    ]
    .iter()
    .map(|(url, file)| {
        format!("<system systemId=\"{url}\" uri=\"file:///usr/share/xml/xmltooling/{file}\"/><uri name=\"{url}\" uri=\"file:///usr/share/xml/xmltooling/{file}\"/>")
    })
    .collect();
    write(
        dir,
        "catalog.xml",
        &format!(
            "<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">{entries}</catalog>"
        ),
    )
}

/// `xmllint --schema` against the OASIS XSD; Ok(()) when it validates.
fn schema_valid(dir: &Path, name: &str, xml: &str, schema: &str) -> Result<(), String> {
    assert!(
        Path::new(schema).is_file(),
        "{schema} missing: ./dev setup installs Debian's opensaml-schemas and xmltooling-schemas"
    );
    let file = write(dir, name, xml);
    let out = Command::new("xmllint")
        .args(["--nonet", "--noout", "--schema", schema])
        .arg(&file)
        .env("XML_CATALOG_FILES", xml_catalog(dir))
        .output()
        .expect("xmllint must be installed (./dev setup installs Debian's libxml2-utils)");
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && text.contains("validates") {
        Ok(())
    } else {
        Err(text)
    }
}

/// libxml2's exclusive c14n of `xml` (xmllint --exc-c14n).
fn libxml2_exc_c14n(dir: &Path, name: &str, xml: &str) -> String {
    let file = write(dir, name, xml);
    let out = Command::new("xmllint")
        .arg("--exc-c14n")
        .arg(&file)
        .output()
        .expect("xmllint");
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn awkward_user() -> SamlUser {
    SamlUser {
        user_name: "o'hara&co@vendor.example".into(),
        email: "o'hara&co@vendor.example".into(),
        first_name: "A<b>\"c\" d&e\r\n\tf".into(),
        last_name: "Ünïcødé \u{1F600} \u{7}".into(),
        groups: vec!["oin-\"quoted\" & <angled>".into()],
    }
}

#[test]
fn output_validates_against_the_oasis_schemas() {
    let dir = temp_dir("xsd");
    let awkward = awkward_user();
    let input = ResponseInput {
        response_id: "_r2",
        assertion_id: "_a2",
        now: t0(),
        auth_instant: t0(),
        user: &awkward,
    };
    let signer = Signer {
        key: &test_key(),
        certificate: &cert(),
    };
    let error = respond_error(
        &idp(),
        &sp_request("_req1"),
        ErrorStatus::RequestDenied,
        "Not assigned",
        "_e1",
        t0(),
        signer,
    )
    .expect("signed");
    let rows = [
        (
            "sp.xml",
            response(&sp_request("_req1"), t0()).xml,
            SCHEMA_PROTOCOL,
        ),
        (
            "idp.xml",
            response(&idp_initiated(&sp()).0, t0()).xml,
            SCHEMA_PROTOCOL,
        ),
        (
            "awkward.xml",
            respond(&idp(), &sp(), &sp_request("_req1"), &input, signer)
                .expect("signed")
                .xml,
            SCHEMA_PROTOCOL,
        ),
        ("error.xml", error.xml, SCHEMA_PROTOCOL),
        (
            "metadata.xml",
            idp().metadata(&[cert(), cert()]),
            SCHEMA_METADATA,
        ),
    ];
    for (name, xml, schema) in &rows {
        schema_valid(&dir, name, xml, schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The check can fail: an element out of the schema's order.
    let bad = rows[0].1.replacen(
        "<saml:Subject>",
        "<saml:Advice></saml:Advice><saml:Subject>",
        1,
    );
    assert!(schema_valid(&dir, "bad.xml", &bad, SCHEMA_PROTOCOL).is_err());
}

#[test]
fn output_is_already_in_exclusive_canonical_form_per_libxml2() {
    let dir = temp_dir("c14n");
    let awkward = awkward_user();
    let input = ResponseInput {
        response_id: "_r2",
        assertion_id: "_a2",
        now: t0(),
        auth_instant: t0(),
        user: &awkward,
    };
    let signed = respond(
        &idp(),
        &sp(),
        &sp_request("_req1"),
        &input,
        Signer {
            key: &test_key(),
            certificate: &cert(),
        },
    )
    .expect("signed");
    // Escaping of &, <, >, quotes, CR, LF, TAB and a control character, as libxml2 canonicalizes.
    assert!(
        signed.xml.contains(
            "<saml:AttributeValue>A&lt;b&gt;\"c\" d&amp;e&#xD;\n\tf</saml:AttributeValue>"
        ),
        "{}",
        signed.xml
    );
    for (name, xml) in [
        ("sp.xml", response(&sp_request("_req1"), t0()).xml),
        ("awkward.xml", signed.xml.clone()),
        ("assertion.xml", assertion_of(&signed.xml).to_string()),
        ("metadata.xml", idp().metadata(&[cert()])),
    ] {
        assert_eq!(
            libxml2_exc_c14n(&dir, name, &xml),
            xml,
            "{name} is not in canonical form"
        );
    }
    xmlsec1(&dir, "awkward-signed.xml", &signed.xml).expect("Response signature verifies");
    xmlsec1(&dir, "awkward-assertion.xml", assertion_of(&signed.xml))
        .expect("Assertion signature verifies");
    // The check can fail: a self-closing tag is not canonical.
    let not_canonical = "<a xmlns=\"urn:x\"><b/></a>";
    assert_ne!(
        libxml2_exc_c14n(&dir, "nc.xml", not_canonical),
        not_canonical
    );
}
