//! Logo checks (SPEC 4.1): type from the bytes, size, dimensions from the header, and the
//! file's structure end to end (PNG chunks with their CRCs up to IEND, JPEG segments from SOI
//! to EOI, GIF blocks up to the trailer), so a file whose header is fine but whose body is cut
//! short or corrupt is refused here, before any browser sees it.

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

/// Checks a logo file's size before it is read (SPEC 4.1: under 1 MB): a 30 MB file is
/// refused at once, without copying it anywhere.
pub fn check_file_size(bytes: u64) -> Result<(), String> {
    if bytes >= LOGO_UNDER_BYTES as u64 {
        return Err(format!(
            "The logo file is {bytes} bytes; it must be under 1 MB ({LOGO_UNDER_BYTES} bytes)"
        ));
    }
    Ok(())
}

/// Checks a logo file; `Err` holds an actionable message. Never panics on any bytes.
pub fn check_logo(bytes: &[u8]) -> Result<LogoInfo, String> {
    if bytes.is_empty() {
        return Err("The logo file is empty; upload a PNG, JPG or GIF".into());
    }
    check_file_size(bytes.len() as u64)?;
    let Some(kind) = sniff(bytes) else {
        return Err(
            "The logo file is not a PNG, JPG or GIF image (checked from its contents, not its name)"
                .into(),
        );
    };
    let damaged = || {
        format!(
            "The logo file looks like a {} but is damaged or cut short; export it again",
            kind_name(kind)
        )
    };
    let size = imagesize::blob_size(bytes).map_err(|_| damaged())?;
    let whole = match kind {
        ImageKind::Png => png_is_whole(bytes),
        ImageKind::Jpeg => jpeg_is_whole(bytes),
        ImageKind::Gif => gif_is_whole(bytes),
    };
    if !whole {
        return Err(damaged());
    }
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

/// The CRC-32 of PNG chunks (ISO 3309, as in the PNG specification's annex D).
fn crc32(parts: &[&[u8]]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    let mut c = 0xFFFF_FFFFu32;
    for part in parts {
        for &b in *part {
            c = TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xFFFF_FFFF
}

/// A big-endian u32 at `at`, if the bytes are there.
fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// PNG: IHDR first, every chunk whole with a matching CRC, at least one IDAT, then IEND.
/// Bytes after IEND are tolerated (some tools append them; decoders ignore them).
fn png_is_whole(bytes: &[u8]) -> bool {
    let mut at = 8;
    let mut first = true;
    let mut image_data = false;
    loop {
        let Some(len) = be32(bytes, at).and_then(|l| usize::try_from(l).ok()) else {
            return false;
        };
        let Some(kind) = bytes.get(at + 4..at + 8) else {
            return false;
        };
        let Some(data_end) = (at + 8).checked_add(len) else {
            return false;
        };
        let (Some(data), Some(crc)) = (bytes.get(at + 8..data_end), be32(bytes, data_end)) else {
            return false;
        };
        if crc32(&[kind, data]) != crc || (first && kind != b"IHDR") {
            return false;
        }
        first = false;
        image_data |= kind == b"IDAT";
        if kind == b"IEND" {
            return image_data;
        }
        at = data_end + 4;
    }
}

/// JPEG: SOI, marker segments whose lengths stay inside the file, entropy-coded data after
/// each SOS, and EOI. Bytes after EOI are tolerated.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    let mut scanned = false;
    loop {
        // Fill bytes (0xFF runs) may precede a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        at += 2;
        match marker {
            0xD9 => return scanned,
            // Markers without a length: TEM and RSTn outside a scan.
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 | 0x00 => return false,
            _ => {}
        }
        let Some(len) = bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            return false;
        };
        if len < 2 || at + len > bytes.len() {
            return false;
        }
        at += len;
        if marker == 0xDA {
            // Entropy-coded data: up to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            scanned = true;
            loop {
                match (bytes.get(at), bytes.get(at + 1)) {
                    (Some(&0xFF), Some(&next)) if next == 0x00 || (0xD0..=0xD7).contains(&next) => {
                        at += 2
                    }
                    (Some(&0xFF), Some(_)) => break,
                    (Some(_), _) => at += 1,
                    (None, _) => return false,
                }
            }
        }
    }
}

/// GIF: the logical screen with its colour table, then extensions and images (each with its
/// data sub-blocks up to the terminator), then the trailer (0x3B). At least one image.
fn gif_is_whole(bytes: &[u8]) -> bool {
    // Sub-blocks: a length byte, that many bytes, …, a zero length. Answers the index after.
    fn sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
        loop {
            let len = usize::from(*bytes.get(at)?);
            at += 1;
            if len == 0 {
                return Some(at);
            }
            at += len;
            if at > bytes.len() {
                return None;
            }
        }
    }
    fn colour_table(flags: u8) -> usize {
        if flags & 0x80 == 0 {
            0
        } else {
            3 << ((flags & 0x07) + 1)
        }
    }
    let Some(&flags) = bytes.get(10) else {
        return false;
    };
    let mut at = 13 + colour_table(flags);
    let mut images = 0;
    loop {
        match bytes.get(at) {
            Some(0x3B) => return images > 0,
            Some(0x21) => {
                // Extension: label, then sub-blocks.
                match sub_blocks(bytes, at + 2) {
                    Some(next) if bytes.get(at + 1).is_some() => at = next,
                    _ => return false,
                }
            }
            Some(0x2C) => {
                let Some(&local) = bytes.get(at + 9) else {
                    return false;
                };
                // Descriptor (10 bytes), local colour table, LZW minimum code size, data.
                let data = at + 10 + colour_table(local) + 1;
                match bytes.get(data - 1) {
                    Some(&size) if (1..=11).contains(&size) => {}
                    _ => return false,
                }
                match sub_blocks(bytes, data) {
                    Some(next) => at = next,
                    None => return false,
                }
                images += 1;
            }
            _ => return false,
        }
    }
}
