//! The authorization matrix: every operation of docs/api.md × every role set of SPEC 1 (and the
//! catalog reviewer) × the caller's own org and another org, on SQLite and PostgreSQL.
//!
//! Own org: a role the domain's `roles::permits` allows is never refused for its role (the
//! answer may still be a rule's 409/422); any other role gets 403 `forbidden`. Another org: an
//! id of the first org is 404 (or 403 for a role that may not even try), never a success, and
//! no list shows the first org's data. Without a session, every operation is 401.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use oin_wizard::domain::Role;
use serde_json::{json, Value};

/// Which roles an operation needs (SPEC 1; reading also lets the catalog reviewer in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Needs {
    /// Signed in: any role.
    Anyone,
    /// Reading submissions, instances, results: super admin, app admin, or catalog reviewer.
    Read,
    /// Editing submissions: super admin or app admin.
    Edit,
    /// Testing: super admin, or app admin + org admin.
    Test,
    /// Submitting: as testing, with a company email.
    Submit,
    /// Recording a review decision: catalog reviewer.
    Review,
    /// Creating test users: org admin or super admin.
    CreateUsers,
}

fn allowed(needs: Needs, roles: &[Role]) -> bool {
    let has = |r| roles.contains(&r);
    let (sa, aa, oa, cr) = (
        has(Role::SuperAdmin),
        has(Role::AppAdmin),
        has(Role::OrgAdmin),
        has(Role::CatalogReviewer),
    );
    match needs {
        Needs::Anyone => true,
        Needs::Read => sa || aa || cr,
        Needs::Edit => sa || aa,
        Needs::Test | Needs::Submit => sa || (aa && oa),
        Needs::Review => cr,
        Needs::CreateUsers => sa || oa,
    }
}

/// One operation: method, path and body with `{s}` (submission), `{i}` (instance), `{r}`
/// (run), `{v}` (the submission's current version) and `{n}` (a fresh number) filled in.
struct Op {
    method: Method,
    path: &'static str,
    body: Option<&'static str>,
    needs: Needs,
    /// Whether the path or body names a resource of the first org.
    names_a_resource: bool,
}

fn ops() -> Vec<Op> {
    use Method as M;
    use Needs::*;
    let op = |method: Method, path, body, needs, names_a_resource| Op {
        method,
        path,
        body,
        needs,
        names_a_resource,
    };
    vec![
        op(M::GET, "/api/v1/me", None, Anyone, false),
        op(M::GET, "/api/v1/submissions", None, Read, false),
        op(M::GET, "/api/v1/submissions/{s}", None, Read, true),
        op(M::POST, "/api/v1/submissions", Some("{}"), Edit, false),
        op(
            M::PUT,
            "/api/v1/submissions/{s}",
            Some("SUBMISSION"),
            Edit,
            true,
        ),
        op(
            M::POST,
            "/api/v1/submissions/{s}/edit",
            Some("{}"),
            Edit,
            true,
        ),
        op(
            M::POST,
            "/api/v1/submissions/{s}/submit",
            Some(r#"{"version":{v},"certified":true}"#),
            Submit,
            true,
        ),
        op(
            M::POST,
            "/api/v1/submissions/{s}/review",
            Some(r#"{"version":{v},"decision":"changesRequested","note":"Fix it"}"#),
            Review,
            true,
        ),
        op(M::GET, "/api/v1/testing/{s}", None, Read, true),
        op(M::GET, "/api/v1/instances", None, Read, false),
        op(M::GET, "/api/v1/instances/{i}", None, Test, true),
        op(
            M::POST,
            "/api/v1/instances",
            Some(
                r#"{"submissionId":"{s}","version":"current","protocols":["oidc"],"label":"Matrix","variableValues":{}}"#,
            ),
            Test,
            true,
        ),
        op(
            M::PATCH,
            "/api/v1/instances/{i}",
            Some(r#"{"label":"Matrix {n}"}"#),
            Test,
            true,
        ),
        op(
            M::POST,
            "/api/v1/instances/{i}/scim-check",
            Some("{}"),
            Test,
            true,
        ),
        op(
            M::POST,
            "/api/v1/instances/{i}/active",
            Some(r#"{"active":true}"#),
            Test,
            true,
        ),
        op(
            M::PUT,
            "/api/v1/instances/{i}/assignments",
            Some(r#"{"userIds":[],"groupIds":[]}"#),
            Test,
            true,
        ),
        op(
            M::POST,
            "/api/v1/instances/{i}/tester",
            Some("{}"),
            Test,
            true,
        ),
        op(M::DELETE, "/api/v1/instances/{i}", None, Test, true),
        op(M::GET, "/api/v1/users", None, Read, false),
        op(M::GET, "/api/v1/groups", None, Read, false),
        op(
            M::POST,
            "/api/v1/users",
            Some(r#"{"email":"matrix{n}@example.org","firstName":"M","lastName":"X"}"#),
            CreateUsers,
            false,
        ),
        op(M::GET, "/api/v1/tester/session", None, Read, false),
        op(M::POST, "/api/v1/tester/session", Some("{}"), Test, false),
        op(
            M::GET,
            "/api/v1/test-runs?submissionId={s}",
            None,
            Read,
            false,
        ),
        op(
            M::POST,
            "/api/v1/test-runs",
            Some(r#"{"instanceId":"{i}","case":"spFlow","version":"current"}"#),
            Test,
            true,
        ),
        op(
            M::PUT,
            "/api/v1/test-runs/{r}",
            Some(r#"{"passed":true}"#),
            Test,
            true,
        ),
        op(M::DELETE, "/api/v1/instances/{i}/tester", None, Test, true),
    ]
}

struct Fixture {
    submission: String,
    instance: String,
    run: String,
}

fn fill(text: &str, f: &Fixture, version: &Value, n: usize) -> String {
    text.replace("{s}", &f.submission)
        .replace("{i}", &f.instance)
        .replace("{r}", &f.run)
        .replace("{v}", &version.to_string())
        .replace("{n}", &n.to_string())
}

async fn matrix(h: Harness) {
    // The first org's integration, instance (active, in the tester) and an in-progress run.
    let mut owner = h
        .signed_in("owner@strawberry.example", &[Role::SuperAdmin])
        .await;
    let s = owner.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(owner.save(&s, complete_oidc).await.status, StatusCode::OK);
    let r = owner
        .post("/api/v1/instances", json!({ "submissionId": s, "version": "current", "protocols": ["oidc"], "label": "Owner's", "variableValues": {} }))
        .await;
    let i = r.body["id"].as_str().unwrap().to_string();
    owner
        .post(&format!("/api/v1/instances/{i}/tester"), json!({}))
        .await;
    owner.post("/api/v1/tester/session", json!({})).await;
    let r = owner
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": i, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let f = Fixture {
        submission: s.clone(),
        instance: i,
        run: r.body["id"].as_str().unwrap().to_string(),
    };

    let mut cases = 0;
    let mut n = 0;
    for (name, roles) in role_sets() {
        let slug = name.replace([' ', '+'], "");
        let mut own = h
            .signed_in(&format!("{slug}@strawberry.example"), &roles)
            .await;
        let mut other = h
            .signed_in(&format!("{slug}@blueberry.example"), &roles)
            .await;
        for op in ops() {
            for (org, client) in [("own", &mut own), ("other", &mut other)] {
                n += 1;
                cases += 1;
                let current = owner.get(&format!("/api/v1/submissions/{s}")).await.body;
                let body = op.body.map(|b| {
                    if b == "SUBMISSION" {
                        let mut edit = current.clone();
                        edit["catalog"]["description"] = json!(format!("Edit {n}"));
                        edit
                    } else {
                        serde_json::from_str::<Value>(&fill(b, &f, &current["version"], n))
                            .expect("a JSON body")
                    }
                });
                let path = fill(op.path, &f, &current["version"], n);
                let r = client.send(op.method.clone(), &path, body).await;
                let what = format!(
                    "{name} in the {org} org: {} {path} → {} {}",
                    op.method, r.status, r.text
                );
                assert!(r.status.as_u16() < 500, "{what}");
                assert_ne!(r.status, StatusCode::UNAUTHORIZED, "{what}");
                let may = allowed(op.needs, &roles);
                match (org, may) {
                    ("own", true) => assert_ne!(r.status, StatusCode::FORBIDDEN, "{what}"),
                    ("own", false) => {
                        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
                        assert_eq!(r.code(), "forbidden", "{what}");
                    }
                    (_, false) if op.names_a_resource => assert!(
                        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                        "{what}"
                    ),
                    (_, false) => assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}"),
                    (_, true) if op.names_a_resource => {
                        assert_eq!(r.status, StatusCode::NOT_FOUND, "{what}")
                    }
                    (_, true) => {
                        assert!(r.status.is_success(), "{what}");
                        for id in [&f.submission, &f.instance, &f.run] {
                            assert!(
                                !r.text.contains(id.as_str()),
                                "another org's data leaked: {what}"
                            );
                        }
                        assert!(!r.text.contains("strawberry.example"), "{what}");
                    }
                }
            }
        }
    }
    assert_eq!(cases, role_sets().len() * ops().len() * 2);

    // No session: every operation is 401.
    let mut anon = h.anonymous();
    let version = json!(1);
    for op in ops() {
        let body = op.body.map(|b| {
            if b == "SUBMISSION" {
                json!({})
            } else {
                serde_json::from_str::<Value>(&fill(b, &f, &version, 0)).unwrap()
            }
        });
        let path = fill(op.path, &f, &version, 0);
        let r = anon.send(op.method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{} {path}", op.method);
    }
}
both!(matrix);

async fn personal_mail_accounts_prepare_but_never_submit(h: Harness) {
    // SPEC 1: an org of its own, and Submit is refused with the personal-mail message.
    let mut c = h.signed_in("ada@gmail.com", &[Role::SuperAdmin]).await;
    let mut colleague = h.signed_in("bob@gmail.com", &[Role::SuperAdmin]).await;
    let id = c.new_submission().await["id"].as_str().unwrap().to_string();
    assert_eq!(
        colleague
            .get(&format!("/api/v1/submissions/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "two gmail.com users share no org"
    );
    let r = c
        .post(
            &format!("/api/v1/submissions/{id}/submit"),
            json!({ "version": 1, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("personal email"),
        "{}",
        r.text
    );
}
both!(personal_mail_accounts_prepare_but_never_submit);
