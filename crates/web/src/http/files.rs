//! Uploads read from multipart bodies and stored files answered as downloads, for the API and the
//! pages alike.

use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{StatusCode, header};
use axum::response::Response;
use motcua_app::AppError;
use motcua_app::documents::UploadFields;
use motcua_app::plan::ReportUpload;
use motcua_domain::dossier::record::DocumentRecord;
use motcua_domain::file::AttachedFile;

/// What the HTTP layer lets through (the use case applies the configured limit on the file).
pub const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;

/// A part of a multipart body that cannot be read: `413` beyond the limit, else `422`.
pub fn bad_multipart(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge("Tệp quá lớn".into())
    } else {
        AppError::invalid("invalid_multipart", "body", format!("Nội dung multipart không đọc được: {}", e.body_text()))
    }
}

/// A body that is not `multipart/form-data` at all.
pub fn not_multipart(e: MultipartRejection) -> AppError {
    AppError::invalid("invalid_multipart", "body", format!("Cần multipart/form-data: {}", e.body_text()))
}

/// The fields of a plan report document upload: `month` (optional), `name`, `file`.
pub async fn read_report_upload(mut m: Multipart) -> Result<ReportUpload, AppError> {
    let (mut month, mut name, mut file) = (None, String::new(), None);
    while let Some(field) = m.next_field().await.map_err(bad_multipart)? {
        match field.name() {
            Some("month") => month = Some(field.text().await.map_err(bad_multipart)?),
            Some("name") => name = field.text().await.map_err(bad_multipart)?,
            Some("file") => {
                let file_name = field.file_name().unwrap_or("").to_owned();
                file = Some((file_name, field.bytes().await.map_err(bad_multipart)?));
            }
            _ => {}
        }
    }
    let (file_name, bytes) = file.ok_or_else(|| AppError::invalid("required", "file", "Chọn tệp tài liệu"))?;
    Ok(ReportUpload { month, name, file_name, bytes })
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> String {
    disposition("attachment", name)
}

/// The same for a file shown in the browser (a printed form's PDF): `inline; filename=...;
/// filename*=...`, so that "Lưu" keeps the Vietnamese name readable.
pub fn inline_disposition(name: &str) -> String {
    disposition("inline", name)
}

fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = motcua_domain::text::strip_marks(name)
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A dossier file's bytes as the response body.
pub fn file_response(doc: &DocumentRecord, bytes: axum::body::Bytes) -> Response {
    stored_file_response(&doc.file, bytes)
}

/// A stored file as a download: its content type, its file name, never sniffed by the browser.
pub fn stored_file_response(file: &AttachedFile, bytes: axum::body::Bytes) -> Response {
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    if let Ok(v) = file.content_type.parse() {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = content_disposition(&file.file_name).parse() {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    r
}

/// A copy presented for checking: the `file` field of a multipart body (any bytes: a changed
/// copy is a verdict, not a refusal).
pub async fn read_copy(mut m: Multipart) -> Result<axum::body::Bytes, AppError> {
    while let Some(field) = m.next_field().await.map_err(bad_multipart)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(bad_multipart)?;
            if bytes.is_empty() {
                return Err(AppError::invalid("empty_file", "file", "Tệp rỗng"));
            }
            return Ok(bytes);
        }
    }
    Err(AppError::invalid("required", "file", "Cần chọn tệp bản sao cần kiểm tra"))
}

/// A copy to certify from a multipart body: `original`, `pages`, `valid_until` (`YYYY-MM-DD`,
/// optional), `compared` (`1`/`true`/`on` when the officer compared the scan with the original)
/// and `file` (the scan).
pub async fn read_copy_request(mut m: Multipart) -> Result<motcua_app::certified_copy::CopyInput, AppError> {
    let (mut original, mut pages, mut valid_until, mut compared, mut file) = (String::new(), None, None, false, None);
    while let Some(field) = m.next_field().await.map_err(bad_multipart)? {
        match field.name().unwrap_or_default() {
            "original" => original = field.text().await.map_err(bad_multipart)?,
            "pages" => {
                let text = field.text().await.map_err(bad_multipart)?;
                pages = Some(
                    text.trim()
                        .parse::<u32>()
                        .map_err(|_| AppError::invalid("invalid_pages", "pages", "Số trang là số nguyên dương"))?,
                );
            }
            "valid_until" => {
                let text = field.text().await.map_err(bad_multipart)?;
                if !text.trim().is_empty() {
                    valid_until = Some(chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                        AppError::invalid("invalid_date", "valid_until", "Ngày hết hạn theo dạng YYYY-MM-DD")
                    })?);
                }
            }
            "compared" => compared = matches!(field.text().await.map_err(bad_multipart)?.trim(), "1" | "true" | "on"),
            "file" => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                file = Some((file_name, field.bytes().await.map_err(bad_multipart)?));
            }
            _ => {}
        }
    }
    let pages = pages.ok_or_else(|| AppError::invalid("required", "pages", "Cần số trang của bản chính"))?;
    let (file_name, bytes) =
        file.ok_or_else(|| AppError::invalid("required", "file", "Cần tệp bản chụp từ bản chính"))?;
    Ok(motcua_app::certified_copy::CopyInput { original, pages, valid_until, compared, file_name, bytes })
}

/// A dossier file upload attached as it arrives: the fields `kind`, `name`, `source`
/// (optional) first, then `file`, whose bytes go to the file store chunk by chunk through the use
/// case (never whole in memory). A body cut off is refused, never stored as a shorter file.
pub async fn attach_streamed(
    app: &motcua_app::App,
    actor: &motcua_app::Actor,
    code: &str,
    mut m: Multipart,
) -> Result<DocumentRecord, AppError> {
    let (mut kind, mut name, mut source) = (None, None, None);
    while let Some(field) = m.next_field().await.map_err(bad_multipart)? {
        match field.name().unwrap_or_default() {
            "kind" => kind = Some(field.text().await.map_err(bad_multipart)?),
            "name" => name = Some(field.text().await.map_err(bad_multipart)?),
            "source" => source = Some(field.text().await.map_err(bad_multipart)?).filter(|s| !s.trim().is_empty()),
            "file" => {
                let fields: UploadFields = serde_json::from_value(serde_json::json!({
                    "kind": kind.take().ok_or_else(|| AppError::invalid("required", "kind", "Cần loại tệp: component hoặc result (trước trường file)"))?.trim(),
                    "name": name.take().unwrap_or_default(),
                    "source": source.take().map(|s: String| s.trim().to_owned()),
                }))
                .map_err(|e| AppError::invalid("invalid_field", "kind", format!("Loại hoặc nguồn tệp không hợp lệ: {e}")))?;
                let meta = motcua_app::documents::UploadMeta {
                    kind: fields.kind,
                    name: fields.name,
                    file_name: field.file_name().unwrap_or_default().to_owned(),
                    source: fields.source,
                };
                return feed_field(field, |body| app.attach_document_streamed(actor, code, meta, body)).await;
            }
            _ => {}
        }
    }
    Err(AppError::invalid("required", "file", "Cần chọn tệp"))
}

/// The bytes of an upload as the use cases read them: chunk by chunk, an error if cut off.
pub type UploadStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<axum::body::Bytes, String>> + Send + 'static>>;

/// Feed a multipart file field, chunk by chunk, to `consume` (a use case that reads a stream
/// and may run in its own task, so it cannot borrow the field).
async fn feed_field<T, F>(
    mut field: axum::extract::multipart::Field<'_>,
    consume: impl FnOnce(UploadStream) -> F,
) -> Result<T, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    enum Msg {
        Chunk(axum::body::Bytes),
        End,
        Fail(String),
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Msg>(4);
    // The use case reads what the request gives; a sender gone without `End` is a cut-off body.
    let body: UploadStream = Box::pin(futures_util::stream::unfold(Some(rx), |rx| async move {
        let mut rx = rx?;
        match rx.recv().await {
            Some(Msg::Chunk(c)) => Some((Ok(c), Some(rx))),
            Some(Msg::End) => None,
            Some(Msg::Fail(e)) => Some((Err(e), None)),
            None => Some((Err("kết nối bị ngắt trước khi gửi hết tệp".to_owned()), None)),
        }
    }));
    let feed = async move {
        loop {
            let msg = match field.chunk().await {
                Ok(Some(c)) => Msg::Chunk(c),
                Ok(None) => Msg::End,
                Err(e) => Msg::Fail(e.body_text()),
            };
            let last = !matches!(msg, Msg::Chunk(_));
            if tx.send(msg).await.is_err() || last {
                break;
            }
        }
    };
    let (done, ()) = tokio::join!(consume(body), feed);
    done
}

/// An online filing form as read: its text fields in order, each component's file already in
/// the file store (`file_<n>` → `n`), and the first file refused on the way, if any (the form
/// is then shown again with what was typed, and nothing spooled is kept).
pub struct Filing {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(usize, motcua_app::filing::Spooled)>,
    pub refused: Option<AppError>,
}

/// Read an online filing form as it arrives, writing each file to the file store on the way
/// (`App::spool_filing_file`), never whole in memory; a file input left empty is skipped. After
/// a refused file the rest of the form is still read (its files are not kept). A body that
/// cannot be read at all is an error, with whatever was spooled taken out again.
pub async fn read_filing_streamed(app: &motcua_app::App, mut m: Multipart) -> Result<Filing, AppError> {
    let mut filing = Filing { fields: Vec::new(), files: Vec::new(), refused: None };
    let read = read_parts(app, &mut m, &mut filing).await;
    if read.is_err() || filing.refused.is_some() {
        app.drop_spooled(std::mem::take(&mut filing.files).into_iter().map(|(_, s)| s)).await;
    }
    read.map(|()| filing)
}

async fn read_parts(app: &motcua_app::App, m: &mut Multipart, filing: &mut Filing) -> Result<(), AppError> {
    while let Some(mut field) = m.next_field().await.map_err(bad_multipart)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.strip_prefix("file_").map(str::parse::<usize>) {
            Some(Ok(_)) if filing.refused.is_some() => while field.chunk().await.map_err(bad_multipart)?.is_some() {},
            Some(Ok(n)) => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                match feed_field(field, |body| app.spool_filing_file(&file_name, body)).await {
                    Ok(s) => filing.files.push((n, s)),
                    // An input left empty sends an empty part with no file name.
                    Err(AppError::Invalid(f)) if f.code == "empty_file" && file_name.is_empty() => {}
                    Err(AppError::Invalid(mut f)) => {
                        f.field = name;
                        filing.refused = Some(AppError::Invalid(f));
                    }
                    Err(e @ AppError::TooLarge(_)) => filing.refused = Some(e),
                    Err(e) => return Err(e),
                }
            }
            Some(Err(_)) => return Err(AppError::invalid("invalid_field", name, "Tên trường tệp không hợp lệ")),
            None => filing.fields.push((name, field.text().await.map_err(bad_multipart)?)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn vietnamese_file_names_survive_the_header() {
        assert_eq!(
            super::content_disposition("Giấy khai sinh.pdf"),
            "attachment; filename=\"Giay khai sinh.pdf\"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf"
        );
    }
}
