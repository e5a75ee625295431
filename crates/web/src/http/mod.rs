//! What the JSON API and the pages share over HTTP: extractors whose rejections are the stable
//! error contract ([`extract`]), reading uploads and answering with stored files ([`files`]), and
//! serving a printable document as HTML, PDF or JSON ([`documents`]). The API and the pages
//! import from here, never from each other.

pub mod documents;
pub mod extract;
pub mod files;
