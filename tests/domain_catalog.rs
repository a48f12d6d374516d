//! SPEC 4.1, 7: catalog properties, logo, use cases. One row per case.
mod common;

use common::*;
use oin_wizard::domain::logo::{check_logo, sniff, ImageKind};
use oin_wizard::domain::use_cases::default_use_cases;
use oin_wizard::domain::validation::validate_configure;
use oin_wizard::domain::*;

type Edit = fn(&mut Submission);

#[rustfmt::skip]
const ROWS: &[(&str, Edit, &str, Option<&str>)] = &[
    // SPEC 4.1: display name 1–64 characters, counted as characters.
    ("name 64 chars",        |s| s.catalog.display_name = "a".repeat(64),  "catalog.displayName", None),
    ("name 65 chars",        |s| s.catalog.display_name = "a".repeat(65),  "catalog.displayName", Some("Display name is 65 characters; the limit is 64")),
    ("name 64 multibyte",    |s| s.catalog.display_name = "é".repeat(64),  "catalog.displayName", None),
    ("name 65 multibyte",    |s| s.catalog.display_name = "日".repeat(65), "catalog.displayName", Some("Display name is 65 characters; the limit is 64")),
    ("name empty",           |s| s.catalog.display_name.clear(),           "catalog.displayName", Some("Display name is required")),
    ("name spaces",          |s| s.catalog.display_name = "   ".into(),    "catalog.displayName", Some("Display name is required")),
    ("name 1 char",          |s| s.catalog.display_name = "X".into(),      "catalog.displayName", None),
    // SPEC 4.1: description required, fewer than 1024 characters.
    ("description empty",    |s| s.catalog.description.clear(),            "catalog.description", Some("Description is required")),
    ("description 1023",     |s| s.catalog.description = "d".repeat(1023), "catalog.description", None),
    ("description 1024",     |s| s.catalog.description = "d".repeat(1024), "catalog.description", Some("Description is 1024 characters; it must be under 1024")),
    // SPEC 4.1: logo required, bytes decide, < 1 MB, four sizes.
    ("logo missing",         |s| s.catalog.logo = None,                    "catalog.logo", Some("Logo is required")),
    ("logo png 244x244",     |s| s.catalog.logo = Some(logo(png(244, 244))), "catalog.logo", None),
    ("logo png 200x200",     |s| s.catalog.logo = Some(logo(png(200, 200))), "catalog.logo", None),
    ("logo png 244x156",     |s| s.catalog.logo = Some(logo(png(244, 156))), "catalog.logo", None),
    ("logo png 156x244",     |s| s.catalog.logo = Some(logo(png(156, 244))), "catalog.logo", None),
    ("logo gif 200x200",     |s| s.catalog.logo = Some(logo(gif(200, 200))), "catalog.logo", None),
    ("logo jpeg 244x156",    |s| s.catalog.logo = Some(logo(jpeg(244, 156))), "catalog.logo", None),
    ("logo png 245x244",     |s| s.catalog.logo = Some(logo(png(245, 244))), "catalog.logo", Some("The logo is 245×244 pixels; use exactly 244×244, 200×200, 244×156 or 156×244")),
    ("logo jpeg 100x100",    |s| s.catalog.logo = Some(logo(jpeg(100, 100))), "catalog.logo", Some("The logo is 100×100 pixels")),
    ("logo empty file",      |s| s.catalog.logo = Some(logo(vec![])),      "catalog.logo", Some("The logo file is empty")),
    ("logo svg named .png",  |s| s.catalog.logo = Some(logo(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec())), "catalog.logo", Some("is not a PNG, JPG or GIF image")),
    ("logo webp",            |s| s.catalog.logo = Some(logo(b"RIFF\x10\0\0\0WEBPVP8 ".to_vec())), "catalog.logo", Some("is not a PNG, JPG or GIF image")),
    ("logo truncated png",   |s| s.catalog.logo = Some(logo(png(244, 244)[..12].to_vec())), "catalog.logo", Some("looks like a PNG but is damaged or cut short")),
    ("logo truncated jpeg",  |s| s.catalog.logo = Some(logo(jpeg(244, 244)[..8].to_vec())), "catalog.logo", Some("looks like a JPEG but is damaged or cut short")),
    ("logo truncated gif",   |s| s.catalog.logo = Some(logo(b"GIF89a\x01".to_vec())), "catalog.logo", Some("looks like a GIF but is damaged or cut short")),
    ("logo 1 MB",            |s| { let mut b = png(244, 244); b.resize(1024 * 1024, 0); s.catalog.logo = Some(logo(b)); }, "catalog.logo", Some("it must be under 1 MB")),
    ("logo just under 1 MB", |s| { let mut b = png(244, 244); b.resize(1024 * 1024 - 1, 0); s.catalog.logo = Some(logo(b)); }, "catalog.logo", None),
    // SPEC 4.1, 7: use cases from the list, ≤ 3 chosen, ≤ 5 with defaults.
    ("use cases none",       |s| s.catalog.use_cases.clear(),              "catalog.useCases", None),
    ("use cases all 3",      |s| s.catalog.use_cases = vec!["zeroTrust".into(), "identityVerification".into(), "iga".into()], "catalog.useCases", None),
    ("use case unknown",     |s| s.catalog.use_cases = vec!["gaming".into()], "catalog.useCases[0]", Some("\"gaming\" is not a use case the catalog offers")),
    ("use case twice",       |s| s.catalog.use_cases = vec!["iga".into(), "iga".into()], "catalog.useCases[1]", Some("Use case \"iga\" is chosen twice")),
    ("use cases 4 chosen",   |s| s.catalog.use_cases = vec!["iga".into(), "zeroTrust".into(), "identityVerification".into(), "iga".into()], "catalog.useCases", Some("4 use cases are chosen; the limit is 3")),
    ("use cases 6 total",    |s| s.catalog.use_cases = vec!["iga".into(), "zeroTrust".into(), "identityVerification".into(), "zeroTrust".into()], "catalog.useCases", Some("6 use cases with the 2 default ones; the limit is 5")),
];

#[test]
fn catalog_rows() {
    for (name, edit, field, expected) in ROWS {
        let mut s = valid();
        edit(&mut s);
        let problems = validate_configure(&s, &StaticOnly);
        check_row(name, &problems, field, *expected);
    }
}

#[test]
fn default_use_cases_follow_protocols() {
    // SPEC 4.1: SSO default with OIDC or SAML, LCM default with SCIM.
    #[rustfmt::skip]
    let rows: &[(bool, bool, bool, &[&str])] = &[
        (true,  false, false, &["singleSignOn"]),
        (false, true,  false, &["singleSignOn"]),
        (true,  true,  false, &["singleSignOn"]),
        (false, false, true,  &["lifecycleManagement"]),
        (true,  false, true,  &["singleSignOn", "lifecycleManagement"]),
        (false, false, false, &[]),
    ];
    for (oidc, saml, scim, expected) in rows {
        let got: Vec<&str> = default_use_cases(Protocols {
            oidc: *oidc,
            saml: *saml,
            scim: *scim,
        })
        .into_iter()
        .map(|(id, _)| id)
        .collect();
        assert_eq!(&got, expected);
    }
}

#[test]
fn sniff_reads_bytes_not_names() {
    assert_eq!(sniff(&png(1, 1)), Some(ImageKind::Png));
    assert_eq!(sniff(&jpeg(1, 1)), Some(ImageKind::Jpeg));
    assert_eq!(sniff(&gif(1, 1)), Some(ImageKind::Gif));
    assert_eq!(sniff(b"BM...."), None);
    assert_eq!(
        check_logo(&jpeg(156, 244)).map(|i| (i.width, i.height)),
        Ok((156, 244))
    );
}

/// Issue 12: a file whose header is valid but whose body is cut short or corrupt is refused
/// by the core (PNG chunks with CRCs to IEND, JPEG SOI…EOI, GIF blocks to the trailer).
#[test]
fn logo_structure_is_checked_to_the_end() {
    let damaged = |kind: &str| {
        format!("The logo file looks like a {kind} but is damaged or cut short; export it again")
    };
    let mut png_bad_crc = png(244, 244);
    let idat = png_bad_crc.len() - 12 - 4 - 1; // last byte of IDAT's data
    png_bad_crc[idat] ^= 0x01;
    let mut png_no_idat = b"\x89PNG\r\n\x1a\n".to_vec();
    png_no_idat.extend(png(244, 244)[8..33].to_vec()); // IHDR only
    png_no_idat.extend(png_chunk(b"IEND", &[]));
    let mut png_trailing = png(244, 244);
    png_trailing.extend_from_slice(b"appended by a tool");
    let mut png_huge_length = png(244, 244);
    png_huge_length[33..37].copy_from_slice(&u32::MAX.to_be_bytes());
    let mut jpeg_bad_length = jpeg(244, 244);
    jpeg_bad_length[4..6].copy_from_slice(&[0xFF, 0xF0]);
    let jpeg_no_scan = {
        let j = jpeg(244, 244);
        let sos = j.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap_or(0);
        let mut cut = j[..sos].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        cut
    };
    let mut gif_bad_block = gif(244, 244);
    let n = gif_bad_block.len();
    gif_bad_block[n - 4] = 0x40; // the data sub-block claims 64 bytes
    let gif_no_image = {
        let mut g = gif(244, 244)[..19].to_vec();
        g.push(0x3B);
        g
    };
    #[rustfmt::skip]
    let rows: Vec<(&str, Vec<u8>, Result<(), String>)> = vec![
        ("png whole",                 png(244, 244),                        Ok(())),
        ("png bytes after IEND",      png_trailing,                         Ok(())),
        ("png without IEND",          { let p = png(244, 244); p[..p.len() - 12].to_vec() }, Err(damaged("PNG"))),
        ("png cut inside IDAT",       png(244, 244)[..40].to_vec(),         Err(damaged("PNG"))),
        ("png CRC mismatch",          png_bad_crc,                          Err(damaged("PNG"))),
        ("png without IDAT",          png_no_idat,                          Err(damaged("PNG"))),
        ("png chunk length 4 GB",     png_huge_length,                      Err(damaged("PNG"))),
        ("jpeg whole",                jpeg(244, 244),                       Ok(())),
        ("jpeg without EOI",          { let j = jpeg(244, 244); j[..j.len() - 2].to_vec() }, Err(damaged("JPEG"))),
        ("jpeg cut in the scan",      { let j = jpeg(244, 244); j[..j.len() - 5].to_vec() }, Err(damaged("JPEG"))),
        ("jpeg segment past the end", jpeg_bad_length,                      Err(damaged("JPEG"))),
        ("jpeg without a scan",       jpeg_no_scan,                         Err(damaged("JPEG"))),
        ("gif whole",                 gif(244, 244),                        Ok(())),
        ("gif without trailer",       { let g = gif(244, 244); g[..g.len() - 1].to_vec() }, Err(damaged("GIF"))),
        ("gif sub-block past the end", gif_bad_block,                       Err(damaged("GIF"))),
        ("gif without an image",      gif_no_image,                         Err(damaged("GIF"))),
    ];
    for (name, bytes, want) in rows {
        assert_eq!(check_logo(&bytes).map(|_| ()), want, "{name}");
    }
}

#[test]
fn logo_never_panics_on_prefixes_of_valid_files() {
    for file in [png(244, 244), jpeg(244, 244), gif(244, 244)] {
        for end in 0..file.len() {
            let _ = check_logo(&file[..end]);
        }
    }
}
