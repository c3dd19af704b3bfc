//! Papers: the list, one paper, adding (import or by hand), editing, history, BibTeX, and
//! writing a summary of one.

use futures_util::Stream;
use reqwest::StatusCode;
use shortscience_types::{
    CreatePaperRequest, CreateSummaryRequest, ImportAnswer, ImportPaperRequest, ImportPreview,
    Page, PaperDetail, PaperHistory, PaperListItem, PaperListQuery, PaperPage, PaperRef,
    SummaryDetail, UpdatePaperRequest,
};

use crate::error::{Error, Result};
use crate::paginate::paginate;
use crate::transport::decode;
use crate::Client;

/// What `POST /papers/import` did.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    /// The paper was new and is now in the catalogue (201).
    Created(Box<PaperDetail>),
    /// The paper was already in the catalogue: this is the stored record (200).
    Existing(Box<PaperDetail>),
    /// A `dry_run`: what would be stored, and the paper already there if there is one.
    Preview(Box<ImportPreview>),
}

impl ImportOutcome {
    /// The paper, unless this was a dry run.
    pub fn paper(&self) -> Option<&PaperDetail> {
        match self {
            Self::Created(paper) | Self::Existing(paper) => Some(paper),
            Self::Preview(_) => None,
        }
    }
}

/// The path segments of a paper reference. A DOI's `/` separates segments, as the route
/// `/papers/{ref:.+}` expects; everything else in it is percent-encoded.
pub(crate) fn paper_path(reference: &PaperRef) -> Vec<String> {
    let mut segments = vec!["papers".to_owned()];
    segments.extend(reference.to_string().split('/').map(str::to_owned));
    segments
}

impl Client {
    /// `GET /papers`: one page of papers.
    pub async fn list_papers(&self, query: &PaperListQuery, page: &Page) -> Result<PaperPage> {
        self.json(self.get(["papers"])?.query(query)?.query(page)?)
            .await
    }

    /// Every paper of a list, across pages, as a stream (`page.limit` is the page size,
    /// `page.cursor` where to start).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), shortscience_client::Error> {
    /// use futures_util::TryStreamExt;
    /// use shortscience_client::Client;
    /// use shortscience_client::types::{Page, PaperListQuery, PaperSort};
    ///
    /// let client = Client::new("http://localhost:8080")?;
    /// let query = PaperListQuery { sort: PaperSort::Top, year: Some(2020), ..Default::default() };
    /// let papers = client.papers_stream(query, Page { limit: Some(100), cursor: None });
    /// futures_util::pin_mut!(papers);
    /// while let Some(paper) = papers.try_next().await? {
    ///     println!("{} {}", paper.id, paper.title);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn papers_stream(
        &self,
        query: PaperListQuery,
        page: Page,
    ) -> impl Stream<Item = Result<PaperListItem>> + Send + 'static {
        let client = self.clone();
        paginate(page, move |page| {
            let (client, query) = (client.clone(), query.clone());
            async move {
                let found = client.list_papers(&query, &page).await?;
                Ok((found.items, found.next_cursor))
            }
        })
    }

    /// `GET /papers/{ref}`: a paper with its public summaries.
    pub async fn get_paper(&self, reference: &PaperRef) -> Result<PaperDetail> {
        let path = paper_path(reference);
        self.json(self.get(path.iter().map(String::as_str))?).await
    }

    /// `POST /papers`: enters a paper that is in neither arXiv nor Crossref.
    pub async fn create_paper(&self, request: &CreatePaperRequest) -> Result<PaperDetail> {
        self.json(self.post(["papers"])?.json(request)?).await
    }

    /// `POST /papers/import`: adds a paper by arXiv id or URL, or by DOI; the server fetches the
    /// metadata. Importing a paper that is already there answers the stored record, so this is
    /// retried like a read.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), shortscience_client::Error> {
    /// use shortscience_client::{Client, ImportOutcome};
    /// use shortscience_client::types::ImportPaperRequest;
    ///
    /// let client = Client::builder("http://localhost:8080").token("ss_…").build()?;
    /// let request = ImportPaperRequest { arxiv: Some("1706.03762".into()), ..Default::default() };
    /// match client.import_paper(&request).await? {
    ///     ImportOutcome::Created(paper) => println!("added {}", paper.id),
    ///     ImportOutcome::Existing(paper) => println!("already there: {}", paper.id),
    ///     ImportOutcome::Preview(preview) => println!("would add {}", preview.paper.title),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn import_paper(&self, request: &ImportPaperRequest) -> Result<ImportOutcome> {
        let call = self.post(["papers", "import"])?.json(request)?.repeatable();
        let response = self.send(call).await?;
        let status = response.status();
        if status == StatusCode::CREATED {
            return Ok(ImportOutcome::Created(Box::new(decode(response).await?)));
        }
        Ok(match decode::<ImportAnswer>(response).await? {
            ImportAnswer::Paper(paper) => ImportOutcome::Existing(paper),
            ImportAnswer::Preview(preview) => ImportOutcome::Preview(preview),
        })
    }

    /// `PATCH /papers/{ref}`: corrects a paper (its creator or a moderator).
    pub async fn update_paper(
        &self,
        reference: &PaperRef,
        request: &UpdatePaperRequest,
    ) -> Result<PaperDetail> {
        let path = paper_path(reference);
        self.json(self.patch(path.iter().map(String::as_str))?.json(request)?)
            .await
    }

    /// `GET /papers/{ref}/history`: the paper's change log, oldest first.
    pub async fn get_paper_history(&self, reference: &PaperRef) -> Result<PaperHistory> {
        let mut path = paper_path(reference);
        path.push("history".to_owned());
        self.json(self.get(path.iter().map(String::as_str))?).await
    }

    /// `GET /papers/{ref}/bibtex`: the paper's BibTeX entry.
    pub async fn get_bibtex(&self, reference: &PaperRef) -> Result<String> {
        let mut path = paper_path(reference);
        path.push("bibtex".to_owned());
        let response = self
            .send(self.get(path.iter().map(String::as_str))?)
            .await?;
        response.text().await.map_err(Error::Network)
    }

    /// `POST /papers/{ref}/summaries`: writes the caller's summary of a paper (one per user
    /// and paper: a second is refused with `summary_exists`, naming the first in
    /// `problem.summary_id`).
    pub async fn create_summary(
        &self,
        reference: &PaperRef,
        request: &CreateSummaryRequest,
    ) -> Result<SummaryDetail> {
        let mut path = paper_path(reference);
        path.push("summaries".to_owned());
        self.json(self.post(path.iter().map(String::as_str))?.json(request)?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_paths_keep_doi_slashes_as_separators() {
        let doi = PaperRef::parse("doi:10.1007/978-3-030_24").unwrap();
        assert_eq!(paper_path(&doi), ["papers", "doi:10.1007", "978-3-030_24"]);
        let arxiv = PaperRef::parse("arxiv:hep-th/9901001").unwrap();
        assert_eq!(paper_path(&arxiv), ["papers", "arxiv:hep-th", "9901001"]);
        let id = PaperRef::parse("7").unwrap();
        assert_eq!(paper_path(&id), ["papers", "7"]);
    }
}
