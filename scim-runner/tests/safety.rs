//! Which addresses the runner calls (issue 15, "Safety"), without sending anything: address
//! tables, URL checks, and the resolver fed by a table so that no DNS query leaves the machine.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use oin_scim_runner::address::{
    check_url, non_public_reason, CheckedResolver, Lookup, NameLookup, Refusal,
};
use oin_scim_runner::report::Verdict;
use oin_scim_runner::{run_scim_tests, test_credentials, Auth, Declared, RunConfig, RunLocks};
use oin_wizard::domain::model::UserOperations;

#[test]
fn non_public_addresses_are_named() {
    let rows: &[(&str, Option<&str>)] = &[
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", Some("loopback")),
        ("127.255.0.9", Some("loopback")),
        ("0.0.0.0", Some("unspecified")),
        ("10.1.2.3", Some("private address (10.0.0.0/8)")),
        ("172.16.0.1", Some("private address (172.16.0.0/12)")),
        ("172.31.255.255", Some("private address (172.16.0.0/12)")),
        ("172.32.0.1", None),
        ("192.168.1.1", Some("private address (192.168.0.0/16)")),
        ("100.64.0.1", Some("CGNAT")),
        ("100.127.255.255", Some("CGNAT")),
        ("100.128.0.1", None),
        ("169.254.169.254", Some("link-local")),
        ("168.63.129.16", Some("cloud metadata")),
        ("192.0.0.1", Some("IETF protocol")),
        ("192.0.2.1", Some("documentation")),
        ("198.18.0.1", Some("benchmarking")),
        ("224.0.0.1", Some("multicast")),
        ("255.255.255.255", Some("broadcast")),
        ("::1", Some("loopback")),
        ("::", Some("unspecified")),
        ("::ffff:127.0.0.1", Some("loopback")),
        ("::ffff:10.0.0.1", Some("private")),
        ("::ffff:93.184.216.34", None),
        ("::127.0.0.1", Some("IPv4-compatible")),
        ("64:ff9b::a9fe:a9fe", Some("link-local")),
        ("64:ff9b::5db8:d822", None),
        ("64:ff9b:1::1", Some("NAT64")),
        ("2002:7f00:0001::1", Some("loopback")),
        ("2002:5db8:d822::1", None),
        ("fc00::1", Some("unique local")),
        ("fd00:ec2::254", Some("unique local")),
        ("fe80::1", Some("link-local")),
        ("fec0::1", Some("site-local")),
        ("ff02::1", Some("multicast")),
        ("2001:db8::1", Some("documentation")),
        ("3fff::1", Some("documentation")),
        ("2001:0:4136:e378::1", Some("IETF protocol")),
        ("5f00::1", Some("outside the global unicast range")),
    ];
    for (ip, want) in rows {
        let ip: IpAddr = ip.parse().expect(ip);
        match (non_public_reason(ip), want) {
            (None, None) => {}
            (Some(got), Some(w)) => assert!(got.contains(w), "{ip}: {got}"),
            (got, w) => panic!("{ip}: got {got:?}, want {w:?}"),
        }
    }
}

#[test]
fn urls_are_checked_before_any_request() {
    let rows: &[(&str, bool, Result<(), &str>)] = &[
        ("https://scim.example.com/scim/v2", false, Ok(())),
        ("  https://scim.example.com/scim/v2/  ", false, Ok(())),
        (
            "http://scim.example.com/scim/v2",
            false,
            Err("uses http: the runner calls only https URLs"),
        ),
        ("http://127.0.0.1:8080/scim/v2", true, Ok(())),
        ("ftp://scim.example.com/", true, Err("uses ftp")),
        (
            "https://user:pw@scim.example.com/",
            false,
            Err("contains a user name or password"),
        ),
        (
            "https://10.0.0.8/scim",
            false,
            Err("10.0.0.8 is a private address (10.0.0.0/8)"),
        ),
        (
            "https://[::1]/scim",
            false,
            Err("::1 is a loopback address"),
        ),
        (
            "https://[::ffff:169.254.169.254]/",
            false,
            Err("is a link-local address"),
        ),
        (
            "https://0x7f.1/",
            false,
            Err("127.0.0.1 is a loopback address"),
        ),
        (
            "https://2130706433/",
            false,
            Err("127.0.0.1 is a loopback address"),
        ),
        ("https://10.0.0.8/scim", true, Ok(())),
        ("not a url", false, Err("The URL is not valid")),
    ];
    for (url, allow_local, want) in rows {
        match (check_url(url, *allow_local), want) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err(w)) => assert!(e.to_string().contains(w), "{url}: {e}"),
            (got, w) => panic!("{url}: got {got:?}, want {w:?}"),
        }
    }
}

/// Names resolved from a table; unknown names fail like NXDOMAIN.
struct Table(HashMap<&'static str, Vec<IpAddr>>);

impl NameLookup for Table {
    fn lookup(&self, host: &str) -> Lookup {
        let answer = self
            .0
            .get(host)
            .cloned()
            .ok_or_else(|| "no such host".to_string());
        Box::pin(async move { answer })
    }
}

fn table() -> Arc<Table> {
    let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
    Arc::new(Table(HashMap::from([
        ("public.test", vec![ip("93.184.216.34")]),
        ("metadata.test", vec![ip("169.254.169.254")]),
        // A name that answers a public and a private address (rebinding, split answers).
        ("rebind.test", vec![ip("93.184.216.34"), ip("10.0.0.1")]),
        ("mapped.test", vec![ip("::ffff:192.168.0.1")]),
    ])))
}

#[tokio::test]
async fn the_resolver_refuses_a_name_when_any_answer_is_not_public() {
    let resolver = CheckedResolver::new(table(), false);
    assert_eq!(
        resolver
            .resolve_checked("public.test")
            .await
            .expect("public"),
        vec!["93.184.216.34".parse::<IpAddr>().expect("ip")]
    );
    for (host, want) in [
        (
            "metadata.test",
            "metadata.test resolves to 169.254.169.254, a link-local address",
        ),
        (
            "rebind.test",
            "rebind.test resolves to 10.0.0.1, a private address",
        ),
        (
            "mapped.test",
            "mapped.test resolves to ::ffff:192.168.0.1, a private address",
        ),
        (
            "nowhere.test",
            "DNS: the name nowhere.test could not be resolved (no such host)",
        ),
    ] {
        let err = resolver
            .resolve_checked(host)
            .await
            .expect_err(host)
            .to_string();
        assert!(err.contains(want), "{host}: {err}");
    }
    // With the local-testing flag the same answers are allowed.
    let local = CheckedResolver::new(table(), true);
    assert_eq!(
        local
            .resolve_checked("rebind.test")
            .await
            .expect("allowed")
            .len(),
        2
    );
}

fn config_for(base: &str) -> RunConfig {
    let declared = Declared {
        users: UserOperations {
            create: true,
            ..UserOperations::default()
        },
        groups: None,
    };
    let mut c = RunConfig::new(
        base,
        Auth::Bearer {
            token: "tok-123456".into(),
        },
        declared,
    );
    c.lookup = table();
    c
}

/// The refusal happens inside the HTTP client, at connect time: the report says why and no
/// response exists.
#[tokio::test]
async fn a_run_stops_at_the_first_step_when_the_host_is_not_public_or_unknown() {
    for (base, want) in [
        ("https://metadata.test/scim/v2", "Not called: metadata.test resolves to 169.254.169.254, a link-local address"),
        ("https://rebind.test/scim/v2", "Not called: rebind.test resolves to 10.0.0.1, a private address"),
        ("https://nowhere.test/scim/v2", "DNS: the name nowhere.test could not be resolved (no such host). Check the host name in the base URL."),
    ] {
        let report = test_credentials(&config_for(base)).await;
        let step = &report.steps[0];
        assert_eq!(step.verdict, Verdict::Fail, "{base}");
        assert!(step.reason.starts_with(want), "{base}: {}", step.reason);
        assert!(step.exchanges[0].response.is_none());
        assert!(step.exchanges[0].error.as_deref().is_some_and(|e| e.contains(want)), "{base}");
        let report = run_scim_tests(&config_for(base)).await;
        assert_eq!(report.counts.failed, 1, "{base}");
        assert!(report.steps.iter().skip(1).all(|s| s.verdict == Verdict::Skipped && s.exchanges.is_empty()));
    }
}

#[test]
fn refusals_read_as_instructions() {
    let r = Refusal::NonPublic {
        host: "10.0.0.1".into(),
        ip: "10.0.0.1".parse().expect("ip"),
        why: "a private address (10.0.0.0/8)",
    };
    assert_eq!(
        r.to_string(),
        "10.0.0.1 is a private address (10.0.0.0/8): the runner calls only public addresses. Use the public host name of your SCIM server."
    );
}

#[test]
fn one_run_per_instance_at_a_time() {
    let locks = RunLocks::new();
    let first = locks.try_start("instance-1").expect("first run starts");
    assert!(locks.is_running("instance-1"));
    let refused = locks
        .try_start("instance-1")
        .expect_err("second run refused");
    assert_eq!(
        refused.to_string(),
        "A SCIM test run for this instance is already in progress; wait for it to finish."
    );
    let other = locks
        .try_start("instance-2")
        .expect("another instance may run");
    drop(first);
    assert!(!locks.is_running("instance-1"));
    let again = locks
        .try_start("instance-1")
        .expect("free again after the run");
    drop((again, other));
    // Clones share the same locks (the server keeps one in its state).
    let shared = locks.clone();
    let held = locks.try_start("x").expect("x");
    assert!(shared.try_start("x").is_err());
    drop(held);
}

#[test]
fn auth_debug_never_shows_secrets() {
    let auth = Auth::OAuth2ClientCredentials {
        token_endpoint: "https://id.example.com/token".into(),
        client_id: "client".into(),
        client_secret: "very-secret".into(),
        scopes: String::new(),
    };
    let config = RunConfig::new(
        "https://scim.example.com",
        auth,
        Declared {
            users: UserOperations::default(),
            groups: None,
        },
    );
    let shown = format!("{config:?}");
    assert!(
        !shown.contains("very-secret") && shown.contains("[redacted]"),
        "{shown}"
    );
    assert!(!format!(
        "{:?}",
        Auth::Bearer {
            token: "tok-abc".into()
        }
    )
    .contains("tok-abc"));
}

#[tokio::test]
async fn a_base_url_with_a_query_is_refused_before_any_request() {
    let report = test_credentials(&config_for("https://public.test/scim/v2?apikey=abc")).await;
    let step = &report.steps[0];
    assert_eq!(step.verdict, Verdict::Fail);
    assert!(
        step.reason
            .starts_with("The base URL must not contain a query"),
        "{}",
        step.reason
    );
    assert!(step.exchanges.is_empty());
}

/// The server spawns runs on its runtime: the futures must be Send.
#[test]
fn runs_can_be_spawned() {
    fn assert_send<T: Send + 'static>(_: &T) {}
    let config = config_for("https://public.test/scim/v2");
    let run = async move {
        let report = run_scim_tests(&config).await;
        let again = test_credentials(&config).await;
        let mut count = 0;
        let mut on_step = |_: &oin_scim_runner::Step| count += 1;
        let observed = oin_scim_runner::run_scim_tests_observed(&config, &mut on_step).await;
        (report, again, observed)
    };
    assert_send(&run);
}
