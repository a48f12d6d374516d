//! SPEC 4.3: OIDC properties.

use super::{Checker, UrlRule};
use crate::domain::limits::URL_PROPERTY_MAX_CHARS;
use crate::expr::Dialect;

const EXPR_URL: UrlRule = UrlRule {
    required: false,
    max_chars: Some(URL_PROPERTY_MAX_CHARS),
    expression: Some(Dialect::Oidc),
    relaxable: true,
};

pub(super) fn check(c: &mut Checker<'_>) {
    let oidc = &c.s.oidc;
    // SPEC 4.3: one or more redirect URIs; every row filled.
    if oidc.redirect_uris.iter().all(|u| u.trim().is_empty()) {
        c.error("oidc.redirectUris", "At least one redirect URI is required");
    } else {
        for (i, uri) in oidc.redirect_uris.iter().enumerate() {
            let field = format!("oidc.redirectUris[{i}]");
            let rule = UrlRule {
                required: true,
                ..EXPR_URL
            };
            c.url(&field, "Redirect URI", uri, rule);
            if !uri.trim().is_empty() && oidc.redirect_uris[..i].contains(uri) {
                c.warning(field, "This redirect URI is listed twice");
            }
        }
    }
    c.url(
        "oidc.initiateLoginUri",
        "Initiate login URI",
        &oidc.initiate_login_uri,
        EXPR_URL,
    );
    for (i, uri) in oidc.post_logout_uris.iter().enumerate() {
        c.url(
            &format!("oidc.postLogoutUris[{i}]"),
            "Post-logout URI",
            uri,
            UrlRule {
                required: true,
                ..EXPR_URL
            },
        );
    }
    c.url(
        "oidc.configGuideUrl",
        "Configuration guide URL",
        &oidc.config_guide_url,
        UrlRule {
            required: true,
            max_chars: Some(URL_PROPERTY_MAX_CHARS),
            expression: None,
            relaxable: false,
        },
    );
}
