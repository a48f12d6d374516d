//! The logo checks (type, size, dimensions, structure) on any bytes: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oin_wizard::domain::logo::check_logo;

fuzz_target!(|data: &[u8]| {
    let _ = check_logo(data);
});
