//! Email syntax and the personal-mail rule (SPEC 1, 5.1).

use email_address::{EmailAddress, Options};

use super::limits::PERSONAL_MAIL_DOMAINS;

/// Checks an email address's syntax (RFC 5322 addr-spec, a dotted domain, no display name).
/// `Err` holds the whole message, starting with `what`.
pub fn check_email(what: &str, value: &str) -> Result<(), String> {
    let options = Options::default()
        .with_minimum_sub_domains(2)
        .without_display_text()
        .without_domain_literal();
    match EmailAddress::parse_with_options(value.trim(), options) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!(
            "{what} \"{value}\" is not an email address like name@company.com"
        )),
    }
}

/// The domain of an email address, lowercase; `None` without an `@`.
pub fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if domain.is_empty() {
        None
    } else {
        Some(domain)
    }
}

/// Whether an email uses a personal-mail domain (SPEC 1, list in [`PERSONAL_MAIL_DOMAINS`]).
pub fn is_personal_mail(email: &str) -> bool {
    let Some(domain) = email_domain(email) else {
        return false;
    };
    PERSONAL_MAIL_DOMAINS
        .iter()
        .any(|entry| domain_matches(&domain, entry))
}

fn domain_matches(domain: &str, entry: &str) -> bool {
    if let Some(name) = entry.strip_suffix(".*") {
        // `yahoo.*`: yahoo.<tld>, yahoo.co.uk, and subdomains (mail.yahoo.fr).
        let labels: Vec<&str> = domain.split('.').collect();
        labels
            .iter()
            .enumerate()
            .any(|(i, l)| *l == name && i + 1 < labels.len() && labels.len() - i - 1 <= 2)
    } else {
        domain == entry || domain.ends_with(&format!(".{entry}"))
    }
}
