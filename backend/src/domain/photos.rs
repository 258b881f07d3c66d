//! Uploaded photos: the type is read from the bytes (never from the client's
//! word), the image is decoded within limits and re-encoded as JPEG, which
//! drops EXIF and GPS metadata.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image cannot be read")]
    Unreadable,
}

pub struct CleanPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Largest side we accept; larger images are scaled down.
const MAX_SIDE: u32 = 2560;

pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes).ok()? {
        f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => Some(f),
        _ => None,
    }
}

/// Decodes (refusing decompression bombs) and re-encodes as JPEG.
pub fn clean(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| PhotoError::Unreadable)?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85);
    rgb.write_with_encoder(encoder)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(CleanPhoto {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn images_come_out_as_jpeg_and_other_bytes_are_refused() {
        let clean = clean(&png(40, 30)).unwrap();
        assert_eq!(sniff(&clean.jpeg), Some(ImageFormat::Jpeg));
        assert_eq!((clean.width, clean.height), (40, 30));
        assert_eq!(
            super::clean(b"%PDF-1.4 not an image").err(),
            Some(PhotoError::NotAnImage)
        );
        let mut broken = png(40, 30);
        broken.truncate(60);
        assert_eq!(super::clean(&broken).err(), Some(PhotoError::Unreadable));
    }

    #[test]
    fn exif_is_gone_after_re_encoding() {
        // A JPEG with an APP1 Exif segment spliced in after SOI.
        let base = clean(&png(8, 8)).unwrap().jpeg;
        let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude";
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with_exif.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(exif);
        with_exif.extend_from_slice(&base[2..]);
        let out = clean(&with_exif).unwrap().jpeg;
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(has(&with_exif, b"Exif") && !has(&out, b"Exif") && !has(&out, b"GPS"));
    }

    #[test]
    fn huge_images_are_scaled_down() {
        let c = clean(&png(3000, 20)).unwrap();
        assert_eq!(c.width, MAX_SIDE);
    }
}
