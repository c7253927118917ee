//! Input files for analytic apps: `POST /user/v2/inputfiles` with the file as the `inputFile`
//! part. The server's answer carries a reference id, in a shape no source documents (seed 003
//! says only "the reference ID returned in the response"), so it is read from whatever comes: a
//! JSON string, a JSON object with an id field, or plain text.

use std::path::Path;

use super::TaskError;
use crate::types::UploadInputFileRequest;
use crate::{Client, FilePart, OnProgress};

/// Uploads the file at `path` as an input file and returns its reference id, the value to give
/// the app's file question. `on_progress` hears of every chunk sent.
///
/// # Errors
///
/// [`TaskError::Call`] when the upload fails, [`TaskError::NoReference`] when its answer has no
/// id.
pub async fn upload_input_file(
    client: &Client,
    path: &Path,
    on_progress: Option<OnProgress>,
) -> Result<String, TaskError> {
    let mut file = FilePart::from_path(path);
    if let Some(hook) = on_progress {
        file = file.on_progress(move |sent, total| hook(sent, total));
    }
    let answer = client.input_files().upload_input_file(UploadInputFileRequest::new(file)).await?;
    reference_id(&answer).ok_or(TaskError::NoReference(answer))
}

/// The reference id in an input file upload's answer: the text of a JSON string, the first of
/// `id`, `referenceId`, `fileId`, `inputFileId` or `reference` in a JSON object (or its only
/// string value), or the answer itself when it is one line of plain text.
pub fn reference_id(answer: &str) -> Option<String> {
    let text = answer.trim();
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(id)) => Some(id).filter(|id| !id.trim().is_empty()),
        Ok(serde_json::Value::Object(map)) => {
            let named = ["id", "referenceId", "fileId", "inputFileId", "reference"]
                .iter()
                .find_map(|key| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| v.as_str()));
            let strings: Vec<&str> = map.values().filter_map(serde_json::Value::as_str).collect();
            named.or(if strings.len() == 1 { Some(strings[0]) } else { None }).map(str::to_string)
        }
        Ok(_) => None,
        Err(_) => Some(text.to_string()).filter(|t| !t.is_empty() && !t.contains(['\n', '<', '{'])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_found_however_the_server_words_it() {
        assert_eq!(reference_id(r#""a1b2c3""#).as_deref(), Some("a1b2c3"));
        assert_eq!(reference_id("a1b2c3\n").as_deref(), Some("a1b2c3"));
        assert_eq!(reference_id(r#"{"referenceId": "a1b2c3", "size": 10}"#).as_deref(), Some("a1b2c3"));
        assert_eq!(reference_id(r#"{"ID": "a1b2c3"}"#).as_deref(), Some("a1b2c3"));
        assert_eq!(reference_id(r#"{"whatever": "a1b2c3"}"#).as_deref(), Some("a1b2c3"));
        assert_eq!(reference_id(r#"{"a": "x", "b": "y"}"#), None);
        assert_eq!(reference_id("<html>login</html>"), None);
        assert_eq!(reference_id(""), None);
        assert_eq!(reference_id("42"), None);
    }
}
