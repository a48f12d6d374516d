//! `GET /api/v1/openapi.json`: the contract as an OpenAPI 3.1 document, generated from the
//! code: the schemas are derived (utoipa) from the very serde types the server reads and
//! writes (`oin_wizard::domain`, built with its `openapi` feature), and the operations come
//! from [`OPERATIONS`], which a test checks against the router and against docs/api.md's
//! table, so the three cannot drift.

use axum::Json;
use oin_wizard::domain::api::{
    AssignRequest, FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse,
    SetActiveRequest, StartRunRequest, SubmitRequest, TesterSessionResponse,
};
use oin_wizard::domain::instances::InstanceUpdate;
use oin_wizard::domain::testing::TestingView;
use oin_wizard::domain::{
    DomainError, Group, Instance, Submission, SubmissionSummary, TestRun, User,
};
use utoipa::openapi::path::{Operation, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, Ref, RefOr, Required, ResponseBuilder, Schema,
};
use utoipa::ToSchema;

/// What an operation answers on success.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// 200 with this schema.
    Json(&'static str),
    /// 200 with `{ apiVersion, items: [schema] }`.
    List(&'static str),
    /// 204 without a body.
    NoContent,
    /// 202 with this schema: started, going on in the background.
    Accepted(&'static str),
    /// 303 to the app (a browser's return from another site: no session, no JSON).
    SeeOther,
}

impl OperationSpec {
    /// Whether it is called without a session: signing in, and the SCIM OAuth 2.0 callback
    /// (the vendor's redirect back carries no SameSite=Strict cookie; its state says whose).
    pub fn sessionless(&self) -> bool {
        self.path == "/api/v1/session" || matches!(self.answer, Answer::SeeOther)
    }
}

/// One operation of docs/api.md.
#[derive(Clone, Copy, Debug)]
pub struct OperationSpec {
    /// HTTP method.
    pub method: &'static str,
    /// Path under the origin, with `{id}`-style parameters.
    pub path: &'static str,
    /// What it does (docs/api.md's words).
    pub summary: &'static str,
    /// The request body's schema, if it takes one.
    pub request: Option<&'static str>,
    /// The success answer.
    pub answer: Answer,
    /// Refusal statuses besides 401 (sent for every operation but signing in).
    pub errors: &'static [u16],
}

const fn op(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    request: Option<&'static str>,
    answer: Answer,
    errors: &'static [u16],
) -> OperationSpec {
    OperationSpec {
        method,
        path,
        summary,
        request,
        answer,
        errors,
    }
}

/// Every operation, in docs/api.md's order.
pub const OPERATIONS: &[OperationSpec] = &[
    op(
        "POST",
        "/api/v1/session",
        "Sign in",
        Some("SignInRequest"),
        Answer::Json("User"),
        &[400, 401, 429],
    ),
    op(
        "DELETE",
        "/api/v1/session",
        "Sign out",
        None,
        Answer::NoContent,
        &[],
    ),
    op(
        "GET",
        "/api/v1/me",
        "The signed-in user",
        None,
        Answer::Json("User"),
        &[],
    ),
    op(
        "GET",
        "/api/v1/submissions",
        "Dashboard list (no secrets)",
        None,
        Answer::List("SubmissionSummary"),
        &[403],
    ),
    op(
        "GET",
        "/api/v1/submissions/{id}",
        "One submission, for editing",
        None,
        Answer::Json("Submission"),
        &[403, 404],
    ),
    op(
        "POST",
        "/api/v1/submissions",
        "Build new OIN integration",
        Some("Empty"),
        Answer::Json("Submission"),
        &[403],
    ),
    op(
        "PUT",
        "/api/v1/submissions/{id}",
        "Save an edit based on its version",
        Some("Submission"),
        Answer::Json("Submission"),
        &[403, 404, 409],
    ),
    op(
        "POST",
        "/api/v1/submissions/{id}/edit",
        "Edit integration (published → Draft)",
        Some("Empty"),
        Answer::Json("Submission"),
        &[403, 404, 409],
    ),
    op(
        "DELETE",
        "/api/v1/submissions/{id}",
        "Delete draft",
        None,
        Answer::NoContent,
        &[403, 404, 409],
    ),
    op(
        "POST",
        "/api/v1/submissions/{id}/withdraw",
        "Withdraw submission (OIN to review → Draft)",
        Some("Empty"),
        Answer::Json("Submission"),
        &[403, 404, 409],
    ),
    op(
        "POST",
        "/api/v1/submissions/{id}/submit",
        "Submit integration",
        Some("SubmitRequest"),
        Answer::Json("Submission"),
        &[403, 404, 409, 422],
    ),
    op(
        "POST",
        "/api/v1/submissions/{id}/review",
        "The catalog team's decision",
        Some("ReviewRequest"),
        Answer::Json("Submission"),
        &[403, 404, 409, 422],
    ),
    op(
        "GET",
        "/api/v1/testing/{submissionId}",
        "The Test integration page's read",
        None,
        Answer::Json("TestingView"),
        &[403, 404],
    ),
    op(
        "GET",
        "/api/v1/instances",
        "Every org instance (redacted)",
        None,
        Answer::List("Instance"),
        &[403],
    ),
    op(
        "GET",
        "/api/v1/instances/{id}",
        "One instance with its secrets",
        None,
        Answer::Json("Instance"),
        &[403, 404],
    ),
    op(
        "POST",
        "/api/v1/instances",
        "Generate instance",
        Some("GenerateInstanceRequest"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "PATCH",
        "/api/v1/instances/{id}",
        "Update instance details",
        Some("InstanceUpdate"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/scim-check",
        "Test API Credentials",
        Some("Empty"),
        Answer::Json("ScimCheckResponse"),
        &[403, 404],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/scim-runs",
        "Run SCIM tests",
        Some("Empty"),
        Answer::Accepted("ScimRun"),
        &[403, 404, 409, 422],
    ),
    op(
        "GET",
        "/api/v1/instances/{id}/scim-runs/latest",
        "The latest SCIM test run",
        None,
        Answer::Json("ScimRun"),
        &[403, 404],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/scim-oauth",
        "Authenticate (SCIM over OAuth 2.0): the vendor's authorize URL",
        Some("Empty"),
        Answer::Json("ScimOauthStart"),
        &[403, 404, 422],
    ),
    op(
        "GET",
        "/api/v1/scim-oauth/callback",
        "The vendor's authorize page returns here: code exchanged, tokens sealed, 303 to the Test integration page",
        None,
        Answer::SeeOther,
        &[400, 404, 503],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/regenerate",
        "Regenerate instance",
        Some("Empty"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/active",
        "The ACTIVE toggle",
        Some("SetActiveRequest"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "PUT",
        "/api/v1/instances/{id}/assignments",
        "Assign test users",
        Some("AssignRequest"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "DELETE",
        "/api/v1/instances/{id}",
        "Delete an inactive instance",
        None,
        Answer::NoContent,
        &[403, 404, 422],
    ),
    op(
        "POST",
        "/api/v1/instances/{id}/tester",
        "Add to Tester",
        Some("Empty"),
        Answer::Json("Instance"),
        &[403, 404, 422],
    ),
    op(
        "DELETE",
        "/api/v1/instances/{id}/tester",
        "Remove from Tester",
        None,
        Answer::Json("Instance"),
        &[403, 404],
    ),
    op(
        "GET",
        "/api/v1/users",
        "The org's users",
        None,
        Answer::List("User"),
        &[403],
    ),
    op(
        "GET",
        "/api/v1/groups",
        "The org's groups",
        None,
        Answer::List("Group"),
        &[403],
    ),
    op(
        "POST",
        "/api/v1/users",
        "Create a test user",
        Some("User"),
        Answer::Json("User"),
        &[403, 422],
    ),
    op(
        "GET",
        "/api/v1/tester/session",
        "The tester session",
        None,
        Answer::Json("TesterSessionResponse"),
        &[403],
    ),
    op(
        "POST",
        "/api/v1/tester/session",
        "Initialize Tester / Refresh tester session",
        Some("Empty"),
        Answer::Json("TesterSessionResponse"),
        &[403],
    ),
    op(
        "GET",
        "/api/v1/test-runs",
        "Test runs (Export results)",
        None,
        Answer::List("TestRun"),
        &[403],
    ),
    op(
        "POST",
        "/api/v1/test-runs",
        "Run test",
        Some("StartRunRequest"),
        Answer::Json("TestRun"),
        &[403, 404, 422],
    ),
    op(
        "PUT",
        "/api/v1/test-runs/{id}",
        "Continue: the result",
        Some("FinishRunRequest"),
        Answer::Json("TestRun"),
        &[403, 404, 409, 422],
    ),
];

/// The name of the session's security scheme in the document.
pub const SESSION_SCHEME: &str = "session";

/// Whether an operation needs a session: every one but signing in and out and the OAuth callback.
pub fn needs_session(spec: &OperationSpec) -> bool {
    !spec.sessionless()
}

/// The body of `POST /api/v1/session`.
#[derive(ToSchema)]
#[allow(dead_code)]
struct SignInRequest {
    email: String,
    password: String,
}

/// An empty JSON object (`{}`): what the operations without input take.
#[derive(ToSchema)]
#[allow(dead_code)]
struct Empty {}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn list_of(name: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .property(
                "apiVersion",
                ObjectBuilder::new().schema_type(Type::Integer).build(),
            )
            .property("items", ArrayBuilder::new().items(schema_ref(name)).build())
            .required("apiVersion")
            .required("items")
            .build(),
    ))
}

fn json_content(schema: RefOr<Schema>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn operation(spec: &OperationSpec) -> Operation {
    let mut b = OperationBuilder::new()
        .summary(Some(spec.summary))
        .operation_id(Some(format!(
            "{} {}",
            spec.method.to_lowercase(),
            spec.path.trim_start_matches("/api/v1/")
        )));
    for segment in spec.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            b = b.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String).build())),
            );
        }
    }
    if needs_session(spec) {
        b = b.security(SecurityRequirement::new(
            SESSION_SCHEME,
            Vec::<String>::new(),
        ));
    }
    if spec.path == "/api/v1/test-runs" && spec.method == "GET" {
        b = b.parameter(
            ParameterBuilder::new()
                .name("submissionId")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .schema(Some(ObjectBuilder::new().schema_type(Type::String).build())),
        );
    }
    if let Some(request) = spec.request {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", json_content(schema_ref(request)))
                .required(Some(Required::True))
                .build(),
        ));
    }
    b = match spec.answer {
        Answer::Json(name) => b.response(
            "200",
            ResponseBuilder::new()
                .description("OK")
                .content("application/json", json_content(schema_ref(name))),
        ),
        Answer::List(name) => b.response(
            "200",
            ResponseBuilder::new()
                .description("OK")
                .content("application/json", json_content(list_of(name))),
        ),
        Answer::NoContent => b.response("204", ResponseBuilder::new().description("No Content")),
        Answer::Accepted(name) => b.response(
            "202",
            ResponseBuilder::new()
                .description("Accepted")
                .content("application/json", json_content(schema_ref(name))),
        ),
        Answer::SeeOther => b.response(
            "303",
            ResponseBuilder::new().description(
                "See Other: to /integrations/{submissionId}/test with scimOauth=connected, or failed with scimOauthMessage",
            ),
        ),
    };
    if matches!(spec.answer, Answer::SeeOther) {
        // RFC 6749 4.1.2: the state comes back whenever it was sent, and it always is.
        for name in ["code", "state", "error", "error_description"] {
            let (required, min_length) = if name == "state" {
                (Required::True, Some(1))
            } else {
                (Required::False, None)
            };
            b = b.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Query)
                    .required(required)
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .min_length(min_length)
                            .build(),
                    )),
            );
        }
    }
    let mut errors: Vec<u16> = spec.errors.to_vec();
    if needs_session(spec) {
        errors.push(401);
    }
    if spec.request.is_some() {
        errors.extend([400, 413, 415]);
    }
    errors.sort_unstable();
    errors.dedup();
    for status in errors {
        // The OAuth callback is a page the browser lands on: its dead ends are plain text
        // saying what to do, not problem details for a client.
        let refusal = if matches!(spec.answer, Answer::SeeOther) {
            ResponseBuilder::new()
                .description("A dead end: plain text saying what went wrong and what to do")
                .content(
                    "text/plain",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String).build()))
                        .build(),
                )
        } else {
            ResponseBuilder::new()
                .description("A refusal: RFC 9457 problem details with the DomainError fields")
                .content(
                    "application/problem+json",
                    json_content(schema_ref("DomainError")),
                )
        };
        b = b.response(status.to_string(), refusal);
    }
    b.build()
}

fn method(text: &str) -> HttpMethod {
    match text {
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

/// A type's schema and every schema it refers to.
fn add<T: ToSchema>(all: &mut Vec<(String, RefOr<Schema>)>) {
    all.push((T::name().to_string(), T::schema()));
    T::schemas(all);
}

/// The document.
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for spec in OPERATIONS {
        paths = paths.path(
            spec.path,
            PathItem::new(method(spec.method), operation(spec)),
        );
    }
    let mut schemas = Vec::new();
    add::<SignInRequest>(&mut schemas);
    add::<Empty>(&mut schemas);
    add::<User>(&mut schemas);
    add::<Group>(&mut schemas);
    add::<Submission>(&mut schemas);
    add::<SubmissionSummary>(&mut schemas);
    add::<SubmitRequest>(&mut schemas);
    add::<ReviewRequest>(&mut schemas);
    add::<TestingView>(&mut schemas);
    add::<Instance>(&mut schemas);
    add::<GenerateInstanceRequest>(&mut schemas);
    add::<InstanceUpdate>(&mut schemas);
    add::<ScimCheckResponse>(&mut schemas);
    add::<oin_wizard::domain::scim_report::ScimRun>(&mut schemas);
    add::<oin_wizard::domain::scim_oauth::ScimOauthStart>(&mut schemas);
    add::<SetActiveRequest>(&mut schemas);
    add::<AssignRequest>(&mut schemas);
    add::<TesterSessionResponse>(&mut schemas);
    add::<TestRun>(&mut schemas);
    add::<StartRunRequest>(&mut schemas);
    add::<FinishRunRequest>(&mut schemas);
    add::<DomainError>(&mut schemas);
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The session cookie that POST /api/v1/session sets (HttpOnly, SameSite=Strict). \
                 Writes (POST, PUT, PATCH, DELETE) also need a same-origin Origin and, with a \
                 body, Content-Type: application/json (docs/api.md, Server obligations).",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("OIN Wizard backend contract")
                .version("1")
                .description(Some("docs/api.md, generated from the code of oin-server"))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .build()
}

/// `GET /api/v1/openapi.json` (no session needed: it describes, it holds no data).
pub async fn serve() -> Json<OpenApi> {
    Json(document())
}
