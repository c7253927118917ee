//! Pagination as one stream of items, whatever the API's style. The generator offers it for list
//! operations whose paging it recognises (or that `x-codegen-pagination` declares):
//!
//! - counted: `offset` and `limit` (or `page` and `pageSize`) query parameters; the stream ends
//!   after a page shorter than the size asked for ([`paginate`]);
//! - cursor: a token in the answer (`next_cursor`, `nextPageToken`, the last item's id while
//!   `has_more`...) fed back as a query parameter; the stream ends when no token comes
//!   ([`paginate_cursor`]);
//! - links: the next page's URL, in the `Link` header (RFC 8288 `rel="next"`, as GitHub) or in
//!   a field of the answer (`@odata.nextLink`); the stream ends when there is none
//!   ([`paginate_links`], [`paginate_cursor`] with [`Client::follow`](crate::Client::follow)).
//!
//! Pages are fetched one at a time, as the stream is read. The stream owns what it needs (a clone
//! of the client), so it can be returned or spawned. A page that would repeat the position just
//! read (a server that sends the same token or link again) ends the stream instead of looping.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::call::{CallFuture, FromAnswer};
use super::error::Error;
use futures_core::Stream;

/// How many items a page asks for when the caller sets no `limit`.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 100;

/// Where a page starts: a count (an offset or a page number) or a text the server gave (a
/// cursor, a URL).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Count(u64),
    Text(String),
}

/// One page: its items and where the next one starts, if there is one.
struct Page<T> {
    items: Vec<T>,
    next: Option<Position>,
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(Option<Position>) -> PageFuture<T> + Send>;

/// How the position of a counted page is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `offset`: items to skip, advancing by the items received.
    Offset,
    /// `page`: the page number, from 1, advancing by one.
    Number,
}

/// The items of every page of a list operation (`Stream<Item = Result<T, Error>>`).
///
/// Read it with [`Paged::next_item`], [`Paged::collect_all`], or as a `futures` stream. A failed
/// page is yielded as an error and ends the stream.
pub struct Paged<T> {
    fetch: Fetch<T>,
    pending: Option<PageFuture<T>>,
    buffer: VecDeque<T>,
    /// Where the next page starts (`None`: the first page, as the caller's arguments say).
    at: Option<Position>,
    pages: u64,
    done: bool,
}

impl<T> fmt::Debug for Paged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("at", &self.at)
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Paged<T> {
    fn new(at: Option<Position>, fetch: Fetch<T>) -> Self {
        Paged { fetch, pending: None, buffer: VecDeque::new(), at, pages: 0, done: false }
    }

    /// The next item; `None` after the last page.
    pub async fn next_item(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page.
    ///
    /// # Errors
    ///
    /// The first page that fails.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next_item().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// How many pages have been received so far.
    pub fn pages_read(&self) -> u64 {
        self.pages
    }
}

/// Counted pages from `start` (an offset from 0, or a page number from 1), `limit` items at a
/// time; `fetch(position, limit)` gets one page.
pub fn paginate<T, F, Fut>(paging: Paging, start: Option<u64>, limit: Option<u64>, mut fetch: F) -> Paged<T>
where
    T: Send + 'static,
    F: FnMut(u64, u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Vec<T>, Error>> + Send + 'static,
{
    let first = match paging {
        Paging::Offset => 0,
        Paging::Number => 1,
    };
    let start = start.unwrap_or(first).max(first);
    let limit = limit.filter(|l| *l > 0).unwrap_or(DEFAULT_PAGE_SIZE);
    let fetch = move |at: Option<Position>| -> PageFuture<T> {
        let position = match at {
            Some(Position::Count(n)) => n,
            _ => start,
        };
        let page = fetch(position, limit);
        Box::pin(async move {
            let items = page.await?;
            let received = items.len() as u64;
            let next = (received >= limit).then_some(Position::Count(match paging {
                Paging::Offset => position + received,
                Paging::Number => position + 1,
            }));
            Ok(Page { items, next })
        })
    };
    Paged::new(Some(Position::Count(start)), Box::new(fetch))
}

/// Pages that each say where the next one starts: `fetch(None)` gets the first page (as the
/// caller's arguments say), `fetch(Some(token))` the page at a token an earlier page gave, and
/// each answers with its items and the next token (`None`, or an empty token, after the last).
pub fn paginate_cursor<T, F, Fut>(mut fetch: F) -> Paged<T>
where
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>> + Send + 'static,
{
    let fetch = move |at: Option<Position>| -> PageFuture<T> {
        let token = match at {
            Some(Position::Text(token)) => Some(token),
            _ => None,
        };
        let page = fetch(token);
        Box::pin(async move {
            let (items, next) = page.await?;
            Ok(Page { items, next: next.filter(|t| !t.is_empty()).map(Position::Text) })
        })
    };
    Paged::new(None, Box::new(fetch))
}

/// Pages linked by the `Link` header of each answer (RFC 8288, `rel="next"`): `fetch(None)`
/// calls the operation for the first page, `fetch(Some(url))` follows a link
/// ([`Client::follow`](crate::Client::follow)); `items` takes the list out of an answer.
pub fn paginate_links<A, T, F, I>(mut fetch: F, items: I) -> Paged<T>
where
    A: FromAnswer,
    T: Send + 'static,
    F: FnMut(Option<String>) -> CallFuture<A> + Send + 'static,
    I: Fn(A) -> Vec<T> + Send + Sync + 'static,
{
    let items = std::sync::Arc::new(items);
    paginate_cursor(move |link| {
        let call = fetch(link).with_response();
        let items = std::sync::Arc::clone(&items);
        async move {
            let answer = call.await?;
            let next = answer.headers.get_all(reqwest::header::LINK).iter().find_map(|value| {
                let text = value.to_str().ok()?;
                next_link(text)
            });
            Ok((items(answer.value), next))
        }
    })
}

/// The target of the first link whose relation types include `next` in a `Link` header's value:
/// `<https://api.example.com/items?page=2>; rel="next", <...>; rel="last"`.
pub(crate) fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        rest = &rest[close + 1..];
        // The link's parameters run to the next comma outside a quoted string.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let params = &rest[..end];
        rest = &rest[end..];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else { return false };
            name.trim().eq_ignore_ascii_case("rel")
                && value.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim().to_string());
        }
    }
}

// Nothing is pinned in place: the futures are boxed.
impl<T> Unpin for Paged<T> {}

impl<T> Stream for Paged<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let at = this.at.clone();
            let pending = this.pending.get_or_insert_with(|| (this.fetch)(at));
            let page = match pending.as_mut().poll(cx) {
                Poll::Ready(page) => page,
                Poll::Pending => return Poll::Pending,
            };
            this.pending = None;
            match page {
                Ok(page) => {
                    this.pages += 1;
                    // No next page, or the same position again: the last page.
                    this.done = page.next.is_none() || page.next == this.at;
                    this.at = page.next;
                    this.buffer.extend(page.items);
                }
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

/// A type a paging parameter (`offset`, `limit`, `page`, `pageSize`, a cursor) or a cursor field
/// of an answer can have (some specs type counts as strings, some cursors as integers).
pub trait PageParam: Sized {
    /// The value as a count, if it is one.
    fn to_count(&self) -> Option<u64>;
    /// A count as the parameter's type.
    fn from_count(count: u64) -> Self;
    /// The value as a cursor's text.
    fn to_text(&self) -> String;
    /// A cursor's text as the parameter's type, if it is one.
    fn from_text(text: String) -> Option<Self>;
}

impl PageParam for String {
    fn to_count(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
    fn from_count(count: u64) -> Self {
        count.to_string()
    }
    fn to_text(&self) -> String {
        self.clone()
    }
    fn from_text(text: String) -> Option<Self> {
        Some(text)
    }
}

macro_rules! integer_page_param {
    ($($t:ty),*) => {$(
        impl PageParam for $t {
            fn to_count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
            fn from_count(count: u64) -> Self {
                <$t>::try_from(count).unwrap_or(<$t>::MAX)
            }
            fn to_text(&self) -> String {
                self.to_string()
            }
            fn from_text(text: String) -> Option<Self> {
                text.trim().parse().ok()
            }
        }
    )*};
}
integer_page_param!(i32, i64, u32, u64);

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(next_link(github).as_deref(), Some("https://api.github.com/repositories/1/issues?page=2"));
        let first_is_prev = r#"<https://h/x?page=1>; rel="prev"; title="a, b", <https://h/x?page=3>; REL="last next""#;
        assert_eq!(next_link(first_is_prev).as_deref(), Some("https://h/x?page=3"));
        assert_eq!(next_link(r#"<https://h/x?page=1>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
        assert_eq!(next_link("<unclosed; rel=next"), None);
        assert_eq!(next_link("</x?after=Y2>;rel=next").as_deref(), Some("/x?after=Y2"));
    }
}
