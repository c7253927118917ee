//! A finished job's output files into a directory: each output in the format the caller picks
//! (when it offers it) or the first one it offers, streamed to disk in bounded memory, written to
//! a `.part` file first and renamed when complete, so a directory never holds half a file under
//! a real name.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::TaskError;
use crate::Client;
use crate::types::{JobDetail, JobOutput};

/// An output file written to disk.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedOutput {
    /// The output's id.
    pub output_id: String,
    /// The format it was downloaded in.
    pub format: String,
    /// Where it was written.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
}

/// Hears how an output download goes: the file's name, bytes so far, and the declared total.
pub type OutputProgress = Arc<dyn Fn(&str, u64, Option<u64>) + Send + Sync>;

/// Downloads every output of `job` into `dir` (created if missing): [`download_outputs_with_progress`]
/// without progress.
///
/// # Errors
///
/// See [`download_outputs_with_progress`].
pub async fn download_outputs(
    client: &Client,
    job: &JobDetail,
    dir: &Path,
    format: Option<&str>,
) -> Result<Vec<DownloadedOutput>, TaskError> {
    download_outputs_with_progress(client, job, dir, format, None).await
}

/// Downloads every output of `job` into `dir` (created if missing), one after the other, each in
/// `format` or, without one, the first format the output offers. Files are named after the
/// output's file name (its last path component; `output-<id>` when it has none), with ` (2)`,
/// ` (3)`... added when two outputs share a name.
///
/// # Errors
///
/// [`TaskError::Format`] before anything is downloaded when an output does not offer `format`;
/// [`TaskError::Io`] when `dir` cannot be created; [`TaskError::Call`] when a download fails
/// (the files already complete stay).
pub async fn download_outputs_with_progress(
    client: &Client,
    job: &JobDetail,
    dir: &Path,
    format: Option<&str>,
    progress: Option<OutputProgress>,
) -> Result<Vec<DownloadedOutput>, TaskError> {
    let job_id = job.id.as_deref().ok_or(TaskError::NoJobId)?;
    let outputs = job.outputs.as_deref().unwrap_or_default();
    // Every format is checked first, so that nothing is downloaded for a run that cannot finish.
    let mut plan = Vec::new();
    let mut taken = HashSet::new();
    for output in outputs {
        let Some(output_id) = output.id.as_deref() else { continue };
        let chosen = choose_format(output, format)?;
        let name = unique_name(&file_name(output), &mut taken);
        plan.push((output_id, chosen, name));
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|source| TaskError::Io { context: format!("cannot create {}", dir.display()), source })?;
    let mut written = Vec::new();
    for (output_id, format, name) in plan {
        let path = dir.join(&name);
        let mut body = client.jobs().download_output(job_id, output_id, &format).await?;
        if let Some(progress) = &progress {
            let (progress, name) = (progress.clone(), name.clone());
            body = body.on_progress(move |received, total| progress(&name, received, total));
        }
        let bytes = body.save_to_file(&path).await?;
        written.push(DownloadedOutput { output_id: output_id.to_string(), format, path, bytes });
    }
    Ok(written)
}

/// The format to download an output in.
fn choose_format(output: &JobOutput, wanted: Option<&str>) -> Result<String, TaskError> {
    let available = output.available_formats.clone().unwrap_or_default();
    match wanted {
        Some(wanted) => available.iter().find(|f| f.eq_ignore_ascii_case(wanted)).cloned().ok_or_else(|| {
            TaskError::Format { output: file_name(output), format: wanted.to_string(), available: available.clone() }
        }),
        None => Ok(available.first().cloned().unwrap_or_else(|| "Raw".to_string())),
    }
}

/// The output's file name without any directory (servers report Windows paths), made safe for a
/// local file system.
fn file_name(output: &JobOutput) -> String {
    let raw = output.file_name.as_deref().unwrap_or_default();
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let safe: String = last.chars().map(|c| if c.is_control() || ":*?\"<>|".contains(c) { '_' } else { c }).collect();
    let safe = safe.trim().trim_matches('.').to_string();
    if safe.is_empty() { format!("output-{}", output.id.as_deref().unwrap_or("unnamed")) } else { safe }
}

/// `name`, or `name (2).ext`, `name (3).ext`... when it is taken.
fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut candidate = name.to_string();
    let mut n = 1;
    while !taken.insert(candidate.to_ascii_lowercase()) {
        n += 1;
        candidate = format!("{stem} ({n}){ext}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(id: &str, name: Option<&str>, formats: &[&str]) -> JobOutput {
        let mut o = JobOutput::new();
        o.id = Some(id.into());
        o.file_name = name.map(str::to_string);
        o.available_formats = Some(formats.iter().map(|f| f.to_string()).collect());
        o
    }

    #[test]
    fn names_are_safe_and_unique_and_formats_are_checked() {
        assert_eq!(file_name(&output("1", Some(r"C:\temp\out\results.csv"), &[])), "results.csv");
        assert_eq!(file_name(&output("1", Some("../../etc/passwd"), &[])), "passwd");
        assert_eq!(file_name(&output("7", Some(".."), &[])), "output-7");
        assert_eq!(file_name(&output("7", None, &[])), "output-7");
        assert_eq!(file_name(&output("1", Some("a:b?.csv"), &[])), "a_b_.csv");
        let mut taken = HashSet::new();
        assert_eq!(unique_name("r.csv", &mut taken), "r.csv");
        assert_eq!(unique_name("R.csv", &mut taken), "R (2).csv");
        assert_eq!(unique_name("r.csv", &mut taken), "r (3).csv");
        let o = output("1", Some("r.csv"), &["Csv", "Yxdb"]);
        assert_eq!(choose_format(&o, None).unwrap(), "Csv");
        assert_eq!(choose_format(&o, Some("yxdb")).unwrap(), "Yxdb");
        let err = choose_format(&o, Some("Xlsx")).unwrap_err().to_string();
        assert_eq!(err, "output `r.csv` cannot be downloaded as `Xlsx`; it offers Csv, Yxdb");
    }
}
