//! Shared by the idp tests: the committed test keys and golden files.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use oin_idp::SigningKey;
use std::path::PathBuf;

/// A fixed RSA 2048 test key (made with `openssl genpkey`; used only by tests), so signatures
/// and certificates are the same bytes on every run.
pub fn test_key() -> SigningKey {
    SigningKey::from_pkcs8_pem(include_str!("../data/test-key.pem")).expect("test key")
}

/// A second fixed test key, for rotation.
pub fn test_key_2() -> SigningKey {
    SigningKey::from_pkcs8_pem(include_str!("../data/test-key-2.pem")).expect("test key 2")
}

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test time")
        .with_timezone(&Utc)
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0)
        .single()
        .expect("t0")
}

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Compares `actual` with the golden file `tests/data/golden/NAME`; with
/// `OIN_UPDATE_GOLDEN=1` it (re)writes the file instead. A missing file fails.
pub fn golden(name: &str, actual: &str) {
    let path = data_dir().join("golden").join(name);
    if std::env::var_os("OIN_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}: run with OIN_UPDATE_GOLDEN=1 once and review it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from the golden file {}\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// A fresh temporary directory under the target dir (no extra crate).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
