//! PDF: the text of each page (lopdf), as one segment per page with its page number.
//!
//! Encrypted documents, documents that cannot be parsed and documents without any text
//! (scanned images) are reported as skipped with the reason. Stream decompression is bounded
//! by the member size limit; lopdf is run behind `catch_unwind`, so that a parser bug on a
//! hostile file costs that file only.

use std::panic::{self, AssertUnwindSafe};

use lopdf::{Document, LoadOptions};

use super::{Cx, Inner, Stop};

/// Runs `f`, turning a panic into an error message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into())
    })
}

/// Whether a load error means the document needs a password.
fn is_password_error(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword
    ) || e.to_string().to_ascii_lowercase().contains("password")
}

/// Extracts the pages of the PDF in `bytes`.
pub fn extract(cx: &mut Cx<'_>, at: &Inner, bytes: &[u8]) -> Result<(), Stop> {
    cx.budget.check_time()?;
    let limit = usize::try_from(cx.budget.limits().max_member).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let doc = match guarded(|| Document::load_mem_with_options(bytes, options)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) if is_password_error(&e) => {
            cx.sink.skip(
                at,
                "PDF document: encrypted (password required): not scanned".into(),
            );
            return Ok(());
        }
        Ok(Err(e)) => {
            cx.sink
                .skip(at, format!("PDF document: cannot be parsed: {e}"));
            return Ok(());
        }
        Err(panic) => {
            cx.sink
                .skip(at, format!("PDF document: the parser failed: {panic}"));
            return Ok(());
        }
    };
    if doc.is_encrypted() {
        cx.sink.skip(
            at,
            "PDF document: encrypted (password required): not scanned".into(),
        );
        return Ok(());
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        cx.sink
            .skip(at, "PDF document: no pages found: not scanned".into());
        return Ok(());
    }
    let mut text_pages = 0usize;
    for &number in pages.keys() {
        cx.budget.check_time()?;
        let page_at = Inner {
            page: Some(number),
            ..at.clone()
        };
        match guarded(|| doc.extract_text_with_limit(&[number], limit)) {
            Ok(Ok(text)) => {
                if text.trim().is_empty() {
                    continue;
                }
                text_pages += 1;
                cx.segment(&page_at, text.as_bytes(), None)?;
            }
            Ok(Err(e)) => cx
                .sink
                .skip(&page_at, format!("PDF page: text cannot be extracted: {e}")),
            Err(panic) => cx
                .sink
                .skip(&page_at, format!("PDF page: the parser failed: {panic}")),
        }
    }
    if text_pages == 0 {
        cx.sink.skip(
            at,
            format!(
                "PDF document: no text layer in {} page(s) (image-only or scanned; OCR is not supported): not scanned",
                pages.len()
            ),
        );
    }
    Ok(())
}
