//! Full-text search over papers and public summaries.

use futures_util::Stream;
use shortscience_types::{Page, SearchHit, SearchQuery, SearchResults};

use crate::error::Result;
use crate::paginate::paginate;
use crate::Client;

impl Client {
    /// `GET /search`: one page of results, most relevant first. `exact` names the paper when
    /// the query is its arXiv id, arXiv URL or DOI.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), shortscience_client::Error> {
    /// use shortscience_client::Client;
    /// use shortscience_client::types::{Page, SearchKind, SearchQuery};
    ///
    /// let client = Client::new("http://localhost:8080")?;
    /// let query = SearchQuery { q: "\"neural radiance\"".into(), kind: SearchKind::Papers, ..Default::default() };
    /// let results = client.search_catalogue(&query, &Page::default()).await?;
    /// println!("{} hits on the first page", results.items.len());
    /// # Ok(()) }
    /// ```
    pub async fn search_catalogue(
        &self,
        query: &SearchQuery,
        page: &Page,
    ) -> Result<SearchResults> {
        self.json(self.get(["search"])?.query(query)?.query(page)?)
            .await
    }

    /// Every search result, across pages, as a stream (the server pages up to 1,000 deep).
    pub fn search_stream(
        &self,
        query: SearchQuery,
        page: Page,
    ) -> impl Stream<Item = Result<SearchHit>> + Send + 'static {
        let client = self.clone();
        paginate(page, move |page| {
            let (client, query) = (client.clone(), query.clone());
            async move {
                let found = client.search_catalogue(&query, &page).await?;
                Ok((found.items, found.next_cursor))
            }
        })
    }
}
