//! Sources: where data comes from. For now, file trees: [`walk`] enumerates files in
//! parallel and [`text`] turns each file into a stream of text.

pub mod extract;
pub mod text;
pub mod walk;

/// A stable, machine-readable name for an I/O error kind, used in [`crate::finding::ScanError`].
pub fn io_kind(err: &std::io::Error) -> &'static str {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission",
        std::io::ErrorKind::NotFound => "not_found",
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => "decode",
        _ => "io",
    }
}
