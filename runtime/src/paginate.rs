//! Pagination as one stream of items. The generator offers it for every list operation with
//! `offset` and `limit` query parameters, or `page` and `pageSize`: pages are fetched one at a
//! time, as the stream is read, and the stream ends after a page shorter than the size asked for.
//! The stream owns what it needs (a clone of the client), so it can be returned or spawned.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::Error;

/// How many items a page asks for when the caller sets no `limit`.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 100;

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Vec<T>, Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(u64, u64) -> PageFuture<T> + Send>;

/// How the position of a page is counted.
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
    paging: Paging,
    offset: u64,
    limit: u64,
    done: bool,
}

impl<T> fmt::Debug for Paged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Pages from `start` (an offset from 0, or a page number from 1), `limit` items at a time;
/// `fetch(position, limit)` gets one page.
pub fn paginate<T, F, Fut>(paging: Paging, start: Option<u64>, limit: Option<u64>, mut fetch: F) -> Paged<T>
where
    F: FnMut(u64, u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Vec<T>, Error>> + Send + 'static,
{
    let first = match paging {
        Paging::Offset => 0,
        Paging::Number => 1,
    };
    Paged {
        fetch: Box::new(move |offset, limit| Box::pin(fetch(offset, limit))),
        pending: None,
        buffer: VecDeque::new(),
        paging,
        offset: start.unwrap_or(first).max(first),
        limit: limit.filter(|l| *l > 0).unwrap_or(DEFAULT_PAGE_SIZE),
        done: false,
    }
}

impl<T> Paged<T> {
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
            let (offset, limit) = (this.offset, this.limit);
            let pending = this.pending.get_or_insert_with(|| (this.fetch)(offset, limit));
            let page = match pending.as_mut().poll(cx) {
                Poll::Ready(page) => page,
                Poll::Pending => return Poll::Pending,
            };
            this.pending = None;
            match page {
                Ok(items) => {
                    this.done = (items.len() as u64) < this.limit;
                    this.offset += match this.paging {
                        Paging::Offset => items.len() as u64,
                        Paging::Number => 1,
                    };
                    this.buffer.extend(items);
                }
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

/// A type a paging parameter (`offset`, `limit`, `page`, `pageSize`) can have (some specs type
/// them as strings).
pub trait PageParam {
    /// The value as a count, if it is one.
    fn to_count(&self) -> Option<u64>;
    /// A count as the parameter's type.
    fn from_count(count: u64) -> Self;
}

impl PageParam for String {
    fn to_count(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
    fn from_count(count: u64) -> Self {
        count.to_string()
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
        }
    )*};
}
integer_page_param!(i32, i64, u32, u64);
