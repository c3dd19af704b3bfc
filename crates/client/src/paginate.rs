//! Keyset pagination as a stream: fetch a page, yield its items, follow `next_cursor` until it is
//! `null`.

use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use shortscience_types::Page;

use crate::error::{Error, Result};

/// A page's items and the cursor of the next page.
pub(crate) type Fetched<T> = (Vec<T>, Option<String>);

/// Items across pages, starting at `first` (its `limit` is the page size, its `cursor` where to
/// start). Pages are fetched lazily, one when the previous one's items are used up; the first
/// error ends the stream after it is yielded.
pub(crate) fn paginate<T, F, Fut>(first: Page, mut fetch: F) -> impl Stream<Item = Result<T>>
where
    T: Send + 'static,
    F: FnMut(Page) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Fetched<T>>> + Send + 'static,
{
    let pages = stream::try_unfold(Some(first), move |state: Option<Page>| {
        let fetched = state.map(|page| {
            let limit = page.limit;
            let asked = page.cursor.clone();
            (fetch(page), limit, asked)
        });
        async move {
            let Some((fetched, limit, asked)) = fetched else {
                return Ok::<_, Error>(None);
            };
            let (items, next) = fetched.await?;
            // A cursor that does not move on would page forever: stop there.
            let next = next
                .filter(|cursor| Some(cursor) != asked.as_ref())
                .map(|cursor| Page {
                    limit,
                    cursor: Some(cursor),
                });
            Ok(Some((items, next)))
        }
    });
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .fuse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn items_are_yielded_across_pages_until_the_last() {
        let pages = |page: Page| async move {
            let start: i64 = page.cursor.as_deref().unwrap_or("0").parse().unwrap();
            let size = page.limit.unwrap();
            let items: Vec<i64> = (start..(start + size).min(7)).collect();
            let next = (start + size < 7).then(|| (start + size).to_string());
            Ok((items, next))
        };
        let all: Vec<i64> = paginate(
            Page {
                limit: Some(3),
                cursor: None,
            },
            pages,
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_cursor_that_does_not_move_ends_the_stream() {
        let stuck = |_page: Page| async move { Ok((vec![1], Some("same".to_owned()))) };
        let all: Vec<i32> = paginate(
            Page {
                limit: None,
                cursor: Some("same".to_owned()),
            },
            stuck,
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(all, [1]);
    }
}
