//! Running a parsed command: find its operation, prepare the request (nothing is sent when an
//! argument does not fit), then either print the request (`--dry-run`) or send it and write the
//! answer: JSON as the server sent it (pretty on a terminal, compact otherwise), every page as
//! JSON lines (`--all`), text as it is, bytes streamed to `--out`.

use std::ffi::OsString;
use std::sync::Arc;

use clap::ArgMatches;

use super::prepare::{Destination, PageAt, Prepared, prepare};
use super::progress::NoProgress;
use super::text::{array_items, compact_json, field_at, pretty_json, token_text};
use super::{Answer, Api, Command, Output, Pages, Token};
use crate::client::Client;
use crate::error::Error;
use crate::paginate::{next_link, paginate, paginate_cursor};
use crate::request::OperationRequest;

/// Why a command did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The arguments do not fit (nothing was sent): exit code 2.
    #[error("{0}")]
    Usage(String),
    /// The call failed.
    #[error("{0}")]
    Call(#[from] Error),
    /// The program asked before a change and was told no (nothing was sent): exit code 8.
    #[error("{0}")]
    Declined(String),
    /// A local file or standard output.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

impl Failure {
    /// The exit code, as `ayx` documents them: 1 failure (network, local files), 2 usage, 3 the
    /// server refused the request, 5 timed out, 6 configuration, 8 not confirmed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Declined(_) => 8,
            Failure::Call(Error::Api(_) | Error::Auth(_)) => 3,
            Failure::Call(e) if e.is_timeout() => 5,
            Failure::Call(Error::Config(_)) => 6,
            Failure::Call(Error::InvalidArgument { .. }) => 2,
            Failure::Call(_) | Failure::Io { .. } => 1,
        }
    }
}

fn written(e: std::io::Error) -> Failure {
    Failure::Io { context: "cannot write the answer".into(), source: e }
}

/// Runs the command `matches` holds (parsed by a tree that [`mount`](super::mount) made).
///
/// # Errors
///
/// See [`Failure`].
pub async fn run(
    api: &'static Api,
    client: &Client,
    matches: &ArgMatches,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    run_confirmed(api, client, matches, output, |_| Ok(())).await
}

/// [`run`], asking `confirm` once the arguments are checked and before anything is sent (not for
/// a dry run): an `Err` with its reason ends the command with [`Failure::Declined`].
///
/// # Errors
///
/// See [`Failure`].
pub async fn run_confirmed(
    api: &'static Api,
    client: &Client,
    matches: &ArgMatches,
    output: &mut Output<'_>,
    confirm: impl FnOnce(&'static crate::operation::Operation) -> Result<(), String>,
) -> Result<(), Failure> {
    let (command, matches) = find(api, matches)?;
    let prepared = prepare(command, matches, output.terminal).map_err(Failure::Usage)?;
    if !prepared.dry_run {
        confirm(command.operation).map_err(Failure::Declined)?;
    }
    if prepared.dry_run {
        let (request, _) = prepared.request(client, None, &NoProgress);
        let text = request.preview()?;
        return output.out.write_all(text.as_bytes()).map_err(written);
    }
    if prepared.all {
        return every_page(prepared, client, output).await;
    }
    let (request, transfers) = prepared.request(client, None, output.progress);
    let result = answer(&prepared, request, output).await;
    for transfer in transfers {
        transfer.finish();
    }
    result
}

/// Parses `args` (the program's name first) as the API's command line and runs the command;
/// help is written to the output.
///
/// # Errors
///
/// See [`Failure`]; arguments `clap` refuses are [`Failure::Usage`] with its message.
pub async fn run_from<I, T>(api: &'static Api, client: &Client, args: I, output: &mut Output<'_>) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let tree = super::mount(api, clap::Command::new("api").no_binary_name(false));
    match tree.try_get_matches_from(args) {
        Ok(matches) => run(api, client, &matches, output).await,
        Err(e) if e.use_stderr() => Err(Failure::Usage(e.render().to_string())),
        Err(e) => output.out.write_all(e.render().to_string().as_bytes()).map_err(written),
    }
}

/// The command a parse chose, and its arguments.
fn find<'m>(api: &'static Api, matches: &'m ArgMatches) -> Result<(&'static Command, &'m ArgMatches), Failure> {
    let missing = || Failure::Usage("no command given: see --help".into());
    let (group_name, group_matches) = matches.subcommand().ok_or_else(missing)?;
    let (command_name, command_matches) = group_matches.subcommand().ok_or_else(missing)?;
    let command = api
        .groups
        .iter()
        .filter(|g| g.name == group_name)
        .flat_map(|g| g.commands.iter())
        .find(|c| c.name == command_name)
        .ok_or_else(|| Failure::Usage(format!("no command `{group_name} {command_name}`")))?;
    Ok((command, command_matches))
}

/// Sends one request and writes its answer.
async fn answer(prepared: &Prepared, request: OperationRequest, output: &mut Output<'_>) -> Result<(), Failure> {
    match prepared.command.answer {
        Answer::Json(check) => {
            let body = request.send_checked(check).await?;
            let text = if output.terminal { pretty_json(&body) } else { compact_json(&body) };
            writeln!(output.out, "{text}").map_err(written)
        }
        Answer::Text => {
            let text = request.send_text().await?;
            writeln!(output.out, "{text}").map_err(written)
        }
        Answer::Empty => Ok(request.send_empty().await?),
        Answer::Binary => {
            let stream = request.send_stream().await?;
            match &prepared.out {
                Destination::File(path) => {
                    let label = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let transfer = output.progress.transfer(&label);
                    let shown = Arc::clone(&transfer);
                    let saved =
                        stream.on_progress(move |done, total| shown.update(done, total)).save_to_file(path).await;
                    transfer.finish();
                    saved?;
                    Ok(())
                }
                Destination::Stdout => {
                    let mut stream = stream;
                    while let Some(chunk) = stream.next_chunk().await {
                        output.out.write_all(&chunk?).map_err(written)?;
                    }
                    output.out.flush().map_err(written)
                }
            }
        }
    }
}

/// Every page from the position and size (or cursor) given, or from the first page (a hundred
/// at a time where the client counts), each item on a line of its own, written as it arrives.
async fn every_page(prepared: Prepared, client: &Client, output: &mut Output<'_>) -> Result<(), Failure> {
    let (Some(pages), Answer::Json(check)) = (prepared.command.pages, prepared.command.answer) else {
        return Err(Failure::Usage("--all: this operation has no pages".into()));
    };
    let operation = prepared.command.operation;
    let prepared = Arc::new(prepared);
    let client = client.clone();
    let mut items = match pages {
        Pages::Counted { paging, position, size } => {
            let start = prepared.number(position).map_err(Failure::Usage)?;
            let size = prepared.number(size).map_err(Failure::Usage)?;
            paginate(paging, start, size, move |position, size| {
                let (request, _) = prepared.request(&client, Some(PageAt::Counted(position, size)), &NoProgress);
                async move {
                    let page = request.send_checked(check).await?;
                    Ok(items_at(&page, &[]))
                }
            })
        }
        Pages::Cursor { items, token, .. } => paginate_cursor(move |cursor: Option<String>| {
            let (request, _) = prepared.request(&client, cursor.map(PageAt::Cursor), &NoProgress);
            async move {
                let page = request.send_checked(check).await?;
                let next = match token {
                    Token::Field(path) => field_at(&page, path).and_then(token_text),
                    Token::LastItem { has_more, field } => {
                        let more = field_at(&page, has_more).is_some_and(|v| v == b"true");
                        let last = field_at(&page, items).and_then(array_items).and_then(|all| all.last().copied());
                        last.filter(|_| more).and_then(|item| field_at(item, &[field])).and_then(token_text)
                    }
                };
                Ok((items_at(&page, items), next))
            }
        }),
        Pages::Links { items, next } => paginate_cursor(move |link: Option<String>| {
            let request = match link {
                None => prepared.request(&client, None, &NoProgress).0,
                Some(url) => OperationRequest::following(&client, operation, &url),
            };
            async move {
                let (headers, page) = request.send_checked_with_headers(check).await?;
                let link = match next {
                    Some(path) => field_at(&page, path).and_then(token_text),
                    None => {
                        headers.get_all(reqwest::header::LINK).iter().find_map(|value| next_link(value.to_str().ok()?))
                    }
                };
                Ok((items_at(&page, items), link))
            }
        }),
    };
    while let Some(item) = items.next_item().await {
        writeln!(output.out, "{}", item?).map_err(written)?;
    }
    output.out.flush().map_err(written)
}

/// The items of a page at `path` (empty: the page is the list), each as compact JSON.
fn items_at(page: &[u8], path: &[&str]) -> Vec<String> {
    let list = if path.is_empty() { Some(page) } else { field_at(page, path) };
    list.and_then(array_items).unwrap_or_default().into_iter().map(compact_json).collect()
}
