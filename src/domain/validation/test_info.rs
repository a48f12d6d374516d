//! SPEC 5.1: test information and per-protocol test settings.

use super::{Checker, UrlRule};
use crate::domain::emails::check_email;
use crate::domain::limits::{SP_FLOW_DESCRIPTION_MAX_CHARS, SP_INITIATE_URL_MAX_CHARS};

const STATIC_URL: UrlRule = UrlRule {
    required: true,
    max_chars: None,
    expression: None,
    relaxable: false,
};

const SP_INITIATE: UrlRule = UrlRule {
    required: true,
    max_chars: Some(SP_INITIATE_URL_MAX_CHARS),
    expression: None,
    relaxable: true,
};

pub(super) fn check(c: &mut Checker<'_>) {
    let info = &c.s.test_info;
    c.url(
        "testInfo.accountUrl",
        "Account URL",
        &info.account_url,
        STATIC_URL,
    );
    c.required("testInfo.username", "Username", &info.username);
    c.required("testInfo.password", "Password", &info.password);
    if c.required(
        "testInfo.supportContact",
        "Support contact",
        &info.support_contact,
    ) {
        if let Err(message) = check_email("Support contact", &info.support_contact) {
            c.error("testInfo.supportContact", message);
        }
    }
    let settings = &c.s.test_settings;
    if c.s.protocols.oidc {
        // SPEC 5.1: SP always on for OIDC, so the SP initiate URL is required.
        if settings.oidc.jit.is_none() {
            c.error(
                "testSettings.oidc.jit",
                "Answer whether OIDC supports JIT provisioning",
            );
        }
        c.url(
            "testSettings.oidc.spInitiateUrl",
            "SP initiate URL",
            &settings.oidc.sp_initiate_url,
            SP_INITIATE,
        );
    }
    if c.s.protocols.saml {
        let saml = &settings.saml;
        if !saml.idp_flow && !saml.sp_flow {
            c.error(
                "testSettings.saml.flows",
                "Choose at least one supported SAML sign-in flow: IdP or SP",
            );
        }
        if saml.jit.is_none() {
            c.error(
                "testSettings.saml.jit",
                "Answer whether SAML supports JIT provisioning",
            );
        }
        if saml.sp_flow {
            c.url(
                "testSettings.saml.spInitiateUrl",
                "SP initiate URL",
                &saml.sp_initiate_url,
                SP_INITIATE,
            );
            if c.required(
                "testSettings.saml.spFlowDescription",
                "SP-initiated flow description",
                &saml.sp_flow_description,
            ) {
                c.max_chars(
                    "testSettings.saml.spFlowDescription",
                    "SP-initiated flow description",
                    &saml.sp_flow_description,
                    SP_FLOW_DESCRIPTION_MAX_CHARS,
                );
            }
        }
    }
}
