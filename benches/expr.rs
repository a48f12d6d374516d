//! Benchmark over the SPEC 6 examples: median time per `evaluate` and per `analyze` (what the
//! UI runs per keystroke), natively. Run with `cargo bench --bench expr`.
//!
//! The machine is shared, so the table is measured in several rounds (`EXPR_BENCH_ROUNDS`,
//! default 3) and each cell shows the lowest of the rounds' medians.

use oin_wizard::expr::{analyze, evaluate, CheckOptions, FieldKind, SPEC_EXAMPLES};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median nanoseconds per call of `f`, over `batches` batches sized to take about 2 ms each.
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

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let batches = env("EXPR_BENCH_BATCHES", 51);
    let rounds = env("EXPR_BENCH_ROUNDS", 3).max(1);
    let mut best = vec![(f64::MAX, f64::MAX); SPEC_EXAMPLES.len()];
    for _ in 0..rounds {
        for (i, ex) in SPEC_EXAMPLES.iter().enumerate() {
            let vars: BTreeMap<String, String> = ex
                .vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(
                evaluate(ex.dialect, ex.source, &vars).as_deref(),
                Ok(ex.expected)
            );
            let opts = CheckOptions {
                known_variables: Some(
                    vars.keys()
                        .cloned()
                        .chain(["companyId".to_string()])
                        .collect(),
                ),
                field: FieldKind::Url { allow_http: false },
                preview: vars.clone(),
                added_since_published: vec!["companyId".into()],
            };
            let eval = median_ns(
                || drop(black_box(evaluate(ex.dialect, black_box(ex.source), &vars))),
                batches,
            );
            let anal = median_ns(
                || drop(black_box(analyze(ex.dialect, black_box(ex.source), &opts))),
                batches,
            );
            if let Some(b) = best.get_mut(i) {
                *b = (b.0.min(eval), b.1.min(anal));
            }
        }
    }
    println!("median ns per call, lowest of {rounds} rounds of {batches} batches");
    println!(
        "{:<4} {:<5} {:>12} {:>12}  source",
        "#", "lang", "evaluate", "analyze"
    );
    let mut worst: f64 = 0.0;
    for (i, (ex, (eval, anal))) in SPEC_EXAMPLES.iter().zip(best).enumerate() {
        worst = worst.max(eval);
        let mut src: String = ex.source.chars().take(70).collect();
        if src.len() < ex.source.len() {
            src.push('…');
        }
        println!(
            "{:<4} {:<5} {:>9.0} ns {:>9.0} ns  {}",
            i + 1,
            format!("{:?}", ex.dialect).to_lowercase(),
            eval,
            anal,
            src
        );
    }
    println!("slowest evaluate: {worst:.0} ns (target < 5000 ns)");
}
