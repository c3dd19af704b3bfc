//! Summaries: the feed, one summary, editing and deleting, revisions, votes, and the Markdown
//! preview.

use futures_util::Stream;
use shortscience_types::{
    DiffQuery, FeedQuery, Page, RenderRequest, RenderResponse, RevisionDiff, RevisionList,
    SummaryDetail, SummaryId, SummaryPage, UpdateSummaryRequest, VoteRequest, VoteResult,
};

use crate::error::Result;
use crate::paginate::paginate;
use crate::Client;

impl Client {
    /// `GET /summaries`: one page of the site feed (`hot`, `new` or `top`, over a period).
    pub async fn list_summaries(&self, query: &FeedQuery, page: &Page) -> Result<SummaryPage> {
        self.json(self.get(["summaries"])?.query(query)?.query(page)?)
            .await
    }

    /// The whole feed, across pages, as a stream.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), shortscience_client::Error> {
    /// use futures_util::TryStreamExt;
    /// use shortscience_client::Client;
    /// use shortscience_client::types::{FeedQuery, FeedSort, Page, Period};
    ///
    /// let client = Client::new("http://localhost:8080")?;
    /// let query = FeedQuery { sort: FeedSort::Top, period: Period::Month };
    /// let best: Vec<_> = client.summaries_stream(query, Page::default()).try_collect().await?;
    /// for summary in best {
    ///     println!("{:>4} {}", summary.summary.score, summary.paper.title);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn summaries_stream(
        &self,
        query: FeedQuery,
        page: Page,
    ) -> impl Stream<Item = Result<SummaryDetail>> + Send + 'static {
        let client = self.clone();
        paginate(page, move |page| {
            let (client, query) = (client.clone(), query.clone());
            async move {
                let found = client.list_summaries(&query, &page).await?;
                Ok((found.items, found.next_cursor))
            }
        })
    }

    /// `GET /summaries/{id}`: a summary with its paper. A private one needs its share token
    /// ([`Client::with_share_token`]) unless the caller wrote it.
    pub async fn get_summary(&self, id: SummaryId) -> Result<SummaryDetail> {
        let id = id.to_string();
        self.json(self.get(["summaries", &id])?).await
    }

    /// `PATCH /summaries/{id}`: edits a summary (the author), or hides it (moderators). Every
    /// edit of the text is kept as a revision.
    pub async fn update_summary(
        &self,
        id: SummaryId,
        request: &UpdateSummaryRequest,
    ) -> Result<SummaryDetail> {
        let id = id.to_string();
        self.json(self.patch(["summaries", &id])?.json(request)?)
            .await
    }

    /// `DELETE /summaries/{id}`: deletes the caller's summary (writing one of the same paper
    /// again brings it back).
    pub async fn delete_summary(&self, id: SummaryId) -> Result<()> {
        let id = id.to_string();
        self.empty(self.delete(["summaries", &id])?).await
    }

    /// `GET /summaries/{id}/revisions`: every version of the text, oldest first.
    pub async fn list_revisions(&self, id: SummaryId) -> Result<RevisionList> {
        let id = id.to_string();
        self.json(self.get(["summaries", &id, "revisions"])?).await
    }

    /// `GET /summaries/{id}/revisions/diff`: a line diff between two revisions (by default the
    /// latest and the one before).
    pub async fn get_revision_diff(
        &self,
        id: SummaryId,
        query: &DiffQuery,
    ) -> Result<RevisionDiff> {
        let id = id.to_string();
        self.json(
            self.get(["summaries", &id, "revisions", "diff"])?
                .query(query)?,
        )
        .await
    }

    /// `PUT /summaries/{id}/vote`: votes `1` (up), `-1` (down) or `0` (withdraw).
    pub async fn vote_summary(&self, id: SummaryId, value: i32) -> Result<VoteResult> {
        let id = id.to_string();
        self.json(
            self.put(["summaries", &id, "vote"])?
                .json(&VoteRequest { value })?,
        )
        .await
    }

    /// `POST /render`: renders Markdown with math exactly as publishing would (stores nothing,
    /// so it is retried like a read).
    pub async fn render_preview(&self, markdown: &str) -> Result<RenderResponse> {
        let request = RenderRequest {
            markdown: markdown.to_owned(),
        };
        self.json(self.post(["render"])?.json(&request)?.repeatable())
            .await
    }
}
