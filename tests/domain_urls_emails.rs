//! SPEC 4, 5.1, 6: static URL checks; SPEC 1, 5.1: email syntax and personal-mail domains.
mod common;

use oin_wizard::domain::emails::{check_email, is_personal_mail};
use oin_wizard::domain::urls::{check_url, link_target, Scheme};

#[test]
fn url_rows() {
    use Scheme::*;
    #[rustfmt::skip]
    let rows: &[(&str, Scheme, Option<&str>)] = &[
        ("https://example.org/callback",            Https, None),
        ("https://example.org:8443/cb?x=1#f",       Https, None),
        ("https://xn--bcher-kva.example/cb",        Https, None),
        ("https://10.0.0.1/cb",                     Https, None),
        ("http://example.org/cb",                   Https, Some("Redirect URI must use https://, not http://")),
        ("http://example.org/cb",                   HttpOrHttps, None),
        ("javascript:alert(1)",                     Https, Some("Redirect URI must be an https:// address, not a javascript URL")),
        ("JavaScript:alert(1)",                     HttpOrHttps, Some("not a javascript URL")),
        ("data:text/html,<b>x</b>",                 Https, Some("not a data URL")),
        ("ftp://example.org/x",                     Https, Some("must be an https:// address, not a ftp: URL")),
        ("https://user:pw@example.org/",            Https, Some("must not contain a user name or password")),
        ("https://user@example.org/",               Https, Some("must not contain a user name or password")),
        ("example.org/callback",                    Https, Some("is not a complete URL; start it with https://")),
        ("/callback",                               Https, Some("is not a complete URL")),
        ("https://",                                Https, Some("has no host name")),
        ("https:///path",                           Https, Some("has no host name")),
        (" https://example.org",                    Https, Some("has spaces at the start or end")),
        ("https://exa mple.org",                    Https, Some("contains spaces")),
        ("https://bücher.example/cb",               Https, Some("Use the ASCII (xn--) form of the host name")),
        ("https://example.org:99999/",              Https, Some("has an invalid port")),
        ("https://exa<mple.org/",                   Https, Some("has an invalid host name")),
        ("https://exa%mple.org/",                   Https, Some("Redirect URI")),
    ];
    for (value, scheme, expected) in rows {
        let got = check_url("Redirect URI", value, *scheme);
        match expected {
            None => assert_eq!(got, Ok(()), "{value}"),
            Some(text) => {
                let message = got.expect_err(value);
                assert!(message.contains(text), "{value}: {message}");
            }
        }
    }
}

#[test]
fn email_rows() {
    #[rustfmt::skip]
    let rows: &[(&str, bool)] = &[
        ("support@example.org", true),
        ("first.last+tag@sub.example.co.uk", true),
        ("isvtest@okta.com", true),
        ("support@localhost", false),
        ("support", false),
        ("@example.org", false),
        ("a@@example.org", false),
        ("Support <support@example.org>", false),
        ("support@[10.0.0.1]", false),
        ("sup port@example.org", false),
        ("", false),
    ];
    for (value, ok) in rows {
        let got = check_email("Support contact", value);
        assert_eq!(got.is_ok(), *ok, "{value}: {got:?}");
        if let Err(m) = got {
            assert!(
                m.contains("is not an email address like name@company.com"),
                "{m}"
            );
        }
    }
}

#[test]
fn personal_mail_rows() {
    // SPEC 1: the personal-mail list, including the `.*` families.
    #[rustfmt::skip]
    let rows: &[(&str, bool)] = &[
        ("a@gmail.com", true), ("a@GMail.COM", true), ("a@googlemail.com", true),
        ("a@yahoo.com", true), ("a@yahoo.co.uk", true), ("a@yahoo.fr", true),
        ("a@outlook.com", true), ("a@hotmail.com", true), ("a@hotmail.de", true),
        ("a@live.com", true), ("a@msn.com", true), ("a@icloud.com", true), ("a@me.com", true),
        ("a@mac.com", true), ("a@aol.com", true), ("a@proton.me", true), ("a@protonmail.com", true),
        ("a@gmx.de", true), ("a@gmx.net", true), ("a@mail.com", true), ("a@yandex.ru", true),
        ("a@zoho.com", true), ("a@qq.com", true), ("a@163.com", true),
        ("a@example.org", false), ("a@strawberry.io", false), ("a@gmail.example.org", false),
        ("a@yahoofarm.com", false), ("a@notgmail.com", false), ("a@email.com", false), ("no-at-sign", false),
    ];
    for (email, personal) in rows {
        assert_eq!(is_personal_mail(email), *personal, "{email}");
    }
}

/// Issue 12: a link or window built from stored data only gets an address that passes the
/// URL check.
#[test]
fn link_targets_from_stored_data() {
    #[rustfmt::skip]
    let rows: &[(&str, Option<&str>)] = &[
        ("https://docs.example.com/setup",  Some("https://docs.example.com/setup")),
        (" https://docs.example.com/x ",    Some("https://docs.example.com/x")),
        ("http://legacy.example.com/guide", Some("http://legacy.example.com/guide")),
        ("javascript:alert(1)",             None),
        ("JavaScript:alert(document.cookie)", None),
        ("data:text/html,<script>1</script>", None),
        ("vbscript:msgbox",                 None),
        ("file:///etc/passwd",              None),
        ("//evil.example.com",              None),
        ("/relative/path",                  None),
        ("https://user:pw@example.com/",    None),
        ("",                                None),
    ];
    for (value, want) in rows {
        assert_eq!(link_target(value), *want, "{value}");
    }
}
