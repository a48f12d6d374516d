//! Benchmark of the Expression Language, natively: per dialect, a corpus of typical property
//! values (the SPEC 6 examples plus the shapes real integrations use: variables, function calls,
//! conditions and string concatenation), each checked against its documented result first.
//!
//! For every expression it measures
//! - `evaluate`: parse + evaluate from the source text (no cache), what a server does once per
//!   value it has not seen;
//! - `cached`: evaluate through a [`ParseCache`] that holds the value (the lookup included):
//!   every further instance of an integration, every re-check of an unchanged field;
//! - `analyze`: everything the live preview needs (diagnostics, preview, backwards
//!   compatibility), what the UI runs per keystroke;
//! - `allocs`: heap allocations of one `evaluate` and of one cached evaluation (counted by this
//!   binary's allocator).
//!
//! and prints, per dialect, the mean µs per expression. Run with `cargo bench --bench expr`.
//! The machine is shared, so the table is measured in several rounds (`EXPR_BENCH_ROUNDS`,
//! default 3) and each cell shows the lowest of the rounds' medians.

use oin_wizard::expr::{analyze, evaluate, CheckOptions, Dialect, FieldKind, ParseCache};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting allocations (and reallocations) so the table can show them.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one call of `f`.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.load(Ordering::Relaxed);
    f();
    ALLOCS.load(Ordering::Relaxed) - before
}

struct Case {
    dialect: Dialect,
    source: &'static str,
    vars: &'static [(&'static str, &'static str)],
    expected: &'static str,
}

const fn case(
    dialect: Dialect,
    source: &'static str,
    vars: &'static [(&'static str, &'static str)],
    expected: &'static str,
) -> Case {
    Case {
        dialect,
        source,
        vars,
        expected,
    }
}

use Dialect::{Oidc, Saml, Scim};

/// Typical values of each dialect: what integrations really write (SPEC 6 and its examples).
const CORPUS: &[Case] = &[
    // OIDC: text with `{ … }` parts, Okta String.* functions, `+` joins.
    case(Oidc, "https://{app.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    case(Oidc, "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", &[("environment", "PROD")], "https://app.data.one/"),
    case(Oidc, "https://{String.len(app.companyId) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyId}", &[("companyId", "acme")], "https://login.myapp.io?connection=acme"),
    case(Oidc, "https://{String.toLowerCase(app.tenant)}.auth.example.com/oauth2/{app.authServerId}/v1/authorize", &[("tenant", "Acme"), ("authServerId", "aus1a2b3c")], "https://acme.auth.example.com/oauth2/aus1a2b3c/v1/authorize"),
    case(Oidc, "https://{String.substringBefore(app.domain, '.')}.example.com/login?realm={String.replace(app.realm, ' ', '-')}", &[("domain", "acme.okta.com"), ("realm", "north america")], "https://acme.example.com/login?realm=north-america"),
    case(Oidc, "{String.stringSwitch(app.region, 'https://us.example.com', 'eu', 'https://eu.example.com', 'ap', 'https://ap.example.com')}/sso/callback", &[("region", "eu-west")], "https://eu.example.com/sso/callback"),
    case(Oidc, "https://{app.region == 'eu' ? 'eu' : 'us'}.example.com/{String.append(app.tenant, '-prod')}/login", &[("region", "eu"), ("tenant", "acme")], "https://eu.example.com/acme-prod/login"),
    case(Oidc, "{String.substringAfter(\"abc@okta.com\", \"@\")}", &[], "okta.com"),
    // SAML: text with `${ … }` parts, JSTL fn:* functions, `+=` joins, `empty`.
    case(Saml, "https://${org.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    case(Saml, "${empty org.baseUrl ? 'https://app.mydomain.com' : org.baseUrl}", &[], "https://app.mydomain.com"),
    case(Saml, "${fn:substringAfter(org.base_url, '//')}", &[("base_url", "https://acme.example.com")], "acme.example.com"),
    case(Saml, "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml", &[("environment", "production")], "https://productiondomain.com/sso/saml"),
    case(Saml, "https://${empty org.companyId ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyId}", &[("companyId", "acme")], "https://login.myapp.io?connection=acme"),
    case(Saml, "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", &[("site_url", "a.host2.com")], "https://host2.com/sso/saml"),
    case(Saml, "${fn:substringBefore(user.userName, '@')}@example.com", &[("user.userName", "jane.doe@acme.com")], "jane.doe@example.com"),
    case(Saml, "https://${fn:toLowerCase(org.tenant)}.example.com/saml/${org.appId}/acs", &[("tenant", "Acme"), ("appId", "0oa1b2c3")], "https://acme.example.com/saml/0oa1b2c3/acs"),
    case(Saml, "${'https://' += fn:trim(org.host) += '/sso?tenant=' += fn:replace(org.tenant, ' ', '-')}", &[("host", " sso.acme.com "), ("tenant", "north america")], "https://sso.acme.com/sso?tenant=north-america"),
    // SCIM: the whole value is one expression, `+` joins.
    case(Scim, "'https://' + app.subdomain + '.example.org/strawberry/scim2/'", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/scim2/"),
    case(Scim, "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'", &[("region", "us")], "https://myfruit.example.com/strawberry/oauth/token"),
    case(Scim, "(String.len(app.baseUrl) == 0 ? 'https://fruit.example.com/scim2/' : app.baseUrl) + 'v1/oauth_token'", &[], "https://fruit.example.com/scim2/v1/oauth_token"),
    case(Scim, "'https://fruits.example.com/scim2/myapp' + (String.len(app.companyId) == 0 ? '/' : '?connection=' + app.companyId)", &[("companyId", "acme")], "https://fruits.example.com/scim2/myapp?connection=acme"),
    case(Scim, "(String.stringContains(app.environment,\"PROD\") ? 'https://fruit.example.com' : 'https://fruit-sandbox.example.com') + '/v1/oauth2/token'", &[("environment", "PROD")], "https://fruit.example.com/v1/oauth2/token"),
    case(Scim, "'https://' + String.toLowerCase(app.tenant) + '.example.com/scim/v2/' + app.accountId", &[("tenant", "Acme"), ("accountId", "A-1001")], "https://acme.example.com/scim/v2/A-1001"),
    case(Scim, "'https://api.example.com/' + String.substringBefore(app.domain, '.') + '/scim/v2'", &[("domain", "acme.okta.com")], "https://api.example.com/acme/scim/v2"),
    case(Scim, "String.replace(app.baseUrl, 'http://', 'https://') + '/scim/v2'", &[("baseUrl", "http://acme.example.com")], "https://acme.example.com/scim/v2"),
];

/// Median nanoseconds per call of `f`, over `batches` batches sized to take about 1 ms each.
fn median_ns(mut f: impl FnMut(), batches: usize) -> f64 {
    // Size a batch.
    let mut per_batch = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        if t.elapsed() > Duration::from_millis(1) || per_batch > 1 << 20 {
            break;
        }
        per_batch *= 2;
    }
    let mut samples: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / f64::from(per_batch)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// One measured row.
#[derive(Clone, Copy)]
struct Row {
    evaluate: f64,
    cached: f64,
    analyze: f64,
    allocs: usize,
    cached_allocs: usize,
}

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let batches = env("EXPR_BENCH_BATCHES", 51);
    let rounds = env("EXPR_BENCH_ROUNDS", 3).max(1);
    let mut best = vec![
        Row {
            evaluate: f64::MAX,
            cached: f64::MAX,
            analyze: f64::MAX,
            allocs: 0,
            cached_allocs: 0,
        };
        CORPUS.len()
    ];
    let mut cache = ParseCache::default();
    for _ in 0..rounds {
        for (i, c) in CORPUS.iter().enumerate() {
            let vars: BTreeMap<String, String> = c
                .vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(
                evaluate(c.dialect, c.source, &vars).as_deref(),
                Ok(c.expected),
                "{}",
                c.source
            );
            let opts = CheckOptions {
                known_variables: Some(vars.keys().cloned().collect()),
                field: FieldKind::Url { allow_http: false },
                preview: vars.clone(),
                added_since_published: Vec::new(),
            };
            let eval = median_ns(
                || drop(black_box(evaluate(c.dialect, black_box(c.source), &vars))),
                batches,
            );
            assert_eq!(
                cache.evaluate(c.dialect, c.source, &vars).as_deref(),
                Ok(c.expected)
            );
            let cached = median_ns(
                || {
                    drop(black_box(cache.evaluate(
                        c.dialect,
                        black_box(c.source),
                        &vars,
                    )))
                },
                batches,
            );
            let anal = median_ns(
                || drop(black_box(analyze(c.dialect, black_box(c.source), &opts))),
                batches,
            );
            let allocs = allocations(|| drop(black_box(evaluate(c.dialect, c.source, &vars))));
            let cached_allocs = allocations(|| {
                drop(black_box(cache.evaluate(c.dialect, c.source, &vars)));
            });
            if let Some(b) = best.get_mut(i) {
                b.evaluate = b.evaluate.min(eval);
                b.cached = b.cached.min(cached);
                b.analyze = b.analyze.min(anal);
                b.allocs = allocs;
                b.cached_allocs = cached_allocs;
            }
        }
    }
    println!("median ns per call, lowest of {rounds} rounds of {batches} batches");
    println!(
        "{:<3} {:<5} {:>11} {:>11} {:>11} {:>7}  source",
        "#", "lang", "evaluate", "cached", "analyze", "allocs"
    );
    for (i, (c, r)) in CORPUS.iter().zip(&best).enumerate() {
        let mut src: String = c.source.chars().take(64).collect();
        if src.len() < c.source.len() {
            src.push('…');
        }
        println!(
            "{:<3} {:<5} {:>8.0} ns {:>8.0} ns {:>8.0} ns {:>3}/{:<3}  {}",
            i + 1,
            format!("{:?}", c.dialect).to_lowercase(),
            r.evaluate,
            r.cached,
            r.analyze,
            r.allocs,
            r.cached_allocs,
            src
        );
    }
    println!();
    println!(
        "per dialect, mean over its corpus (µs per expression; allocations per evaluate / per cached evaluate):"
    );
    println!(
        "{:<5} {:>5} {:>10} {:>10} {:>10} {:>10} {:>11}",
        "lang", "exprs", "evaluate", "slowest", "cached", "analyze", "allocs"
    );
    for d in [Oidc, Saml, Scim] {
        let rows: Vec<&Row> = CORPUS
            .iter()
            .zip(&best)
            .filter(|(c, _)| c.dialect == d)
            .map(|(_, r)| r)
            .collect();
        let n = rows.len() as f64;
        let mean = |f: &dyn Fn(&Row) -> f64| rows.iter().map(|r| f(r)).sum::<f64>() / n;
        let slowest = rows.iter().map(|r| r.evaluate).fold(0.0, f64::max);
        println!(
            "{:<5} {:>5} {:>7.3} µs {:>7.3} µs {:>7.3} µs {:>7.3} µs {:>5.1}/{:<5.1}",
            format!("{d:?}").to_lowercase(),
            rows.len(),
            mean(&|r| r.evaluate) / 1000.0,
            slowest / 1000.0,
            mean(&|r| r.cached) / 1000.0,
            mean(&|r| r.analyze) / 1000.0,
            mean(&|r| r.allocs as f64),
            mean(&|r| r.cached_allocs as f64),
        );
    }
}
