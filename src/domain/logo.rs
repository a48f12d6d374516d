//! Logo checks (SPEC 4.1): type from the bytes, size, and dimensions from the header.

use serde::{Deserialize, Serialize};

use super::limits::{LOGO_SIZES, LOGO_UNDER_BYTES};

/// An image type the catalog accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
}

impl ImageKind {
    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
        }
    }
}

/// What an accepted logo is: type and pixel size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogoInfo {
    /// Sniffed type.
    pub kind: ImageKind,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The image type from the file's first bytes (magic numbers), whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else {
        None
    }
}

/// Checks a logo file; `Err` holds an actionable message. Never panics on any bytes.
pub fn check_logo(bytes: &[u8]) -> Result<LogoInfo, String> {
    if bytes.is_empty() {
        return Err("The logo file is empty; upload a PNG, JPG or GIF".into());
    }
    if bytes.len() >= LOGO_UNDER_BYTES {
        return Err(format!(
            "The logo file is {} bytes; it must be under 1 MB ({LOGO_UNDER_BYTES} bytes)",
            bytes.len()
        ));
    }
    let Some(kind) = sniff(bytes) else {
        return Err(
            "The logo file is not a PNG, JPG or GIF image (checked from its contents, not its name)"
                .into(),
        );
    };
    let size = imagesize::blob_size(bytes).map_err(|_| {
        format!(
            "The logo file looks like a {} but is damaged or cut short; export it again",
            kind_name(kind)
        )
    })?;
    let (Ok(width), Ok(height)) = (u32::try_from(size.width), u32::try_from(size.height)) else {
        return Err("The logo's dimensions are out of range".into());
    };
    if !LOGO_SIZES
        .iter()
        .any(|&(w, h, _)| w == width && h == height)
    {
        return Err(format!(
            "The logo is {width}×{height} pixels; use exactly 244×244, 200×200, 244×156 or 156×244"
        ));
    }
    Ok(LogoInfo {
        kind,
        width,
        height,
    })
}

fn kind_name(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::Png => "PNG",
        ImageKind::Jpeg => "JPEG",
        ImageKind::Gif => "GIF",
    }
}
