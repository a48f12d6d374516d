//! SPEC 4.5: SCIM 2.0 properties.

use super::{Checker, UrlRule};
use crate::domain::limits::URL_PROPERTY_MAX_CHARS;
use crate::domain::model::ScimAuthMode;
use crate::expr::Dialect;

const EXPR_URL: UrlRule = UrlRule {
    required: true,
    max_chars: Some(URL_PROPERTY_MAX_CHARS),
    expression: Some(Dialect::Scim),
    relaxable: true,
};

pub(super) fn check(c: &mut Checker<'_>) {
    let scim = &c.s.scim;
    c.url("scim.baseUrl", "Base URL", &scim.base_url, EXPR_URL);
    // SPEC 4.5: no Basic; a published Basic integration can't be updated.
    match scim.auth_mode {
        ScimAuthMode::Basic => {
            let was_published_basic =
                c.s.published
                    .as_ref()
                    .is_some_and(|p| p.submission.scim.auth_mode == ScimAuthMode::Basic);
            let message = if was_published_basic {
                "A published SCIM integration that uses Basic authentication cannot be updated: submit a new integration with Header, Bearer or OAuth 2 authentication"
            } else {
                "Basic authentication is not offered: choose Header, Bearer or OAuth 2"
            };
            c.error("scim.authMode", message);
        }
        ScimAuthMode::Oauth2 => {
            let oauth = &scim.oauth;
            c.url(
                "scim.oauth.authorizeEndpoint",
                "Authorize endpoint",
                &oauth.authorize_endpoint,
                EXPR_URL,
            );
            c.url(
                "scim.oauth.tokenEndpoint",
                "Token endpoint",
                &oauth.token_endpoint,
                EXPR_URL,
            );
            c.required("scim.oauth.clientId", "Client ID", &oauth.client_id);
            c.required(
                "scim.oauth.clientSecret",
                "Client secret",
                &oauth.client_secret,
            );
            if oauth.scopes.split_whitespace().any(|s| s.contains(',')) {
                c.error(
                    "scim.oauth.scopes",
                    "Separate scopes with spaces, not commas",
                );
            }
        }
        ScimAuthMode::Header | ScimAuthMode::Bearer => {}
    }
    // SPEC 4.5: Read and Import users always on.
    let users = scim.user_operations;
    if !users.read {
        c.error("scim.userOperations.read", "Read users is always on");
    }
    if !users.import_users {
        c.error(
            "scim.userOperations.importUsers",
            "Import users is always on",
        );
    }
    // SPEC 4.5: group operations when groups are managed.
    if scim.manage_groups {
        let groups = scim.group_operations;
        if !groups.read {
            c.error("scim.groupOperations.read", "Read groups is always on");
        }
        if !groups.import_groups {
            c.error(
                "scim.groupOperations.importGroups",
                "Import groups is always on",
            );
        }
    }
    c.url(
        "scim.configGuideUrl",
        "Link to configuration guide",
        &scim.config_guide_url,
        UrlRule {
            required: true,
            max_chars: Some(URL_PROPERTY_MAX_CHARS),
            expression: None,
            relaxable: false,
        },
    );
}
