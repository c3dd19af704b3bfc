//! Browsing the catalogue: venues, years, authors and keywords.

use shortscience_types::{
    AuthorDetail, AuthorId, KeywordItem, KeywordList, VenueDetail, VenueList, VenueListItem,
    YearCount, YearList,
};

use crate::error::Result;
use crate::Client;

impl Client {
    /// `GET /venues`: every venue with at least one paper, by name.
    pub async fn list_venues(&self) -> Result<Vec<VenueListItem>> {
        let list: VenueList = self.json(self.get(["venues"])?).await?;
        Ok(list.items)
    }

    /// `GET /venues/{slug}`: a venue and its years.
    pub async fn get_venue(&self, slug: &str) -> Result<VenueDetail> {
        self.json(self.get(["venues", slug])?).await
    }

    /// `GET /years`: papers per year, newest first.
    pub async fn list_years(&self) -> Result<Vec<YearCount>> {
        let list: YearList = self.json(self.get(["years"])?).await?;
        Ok(list.items)
    }

    /// `GET /authors/{id}`: an author (their papers: [`Client::list_papers`] with `author`).
    pub async fn get_author(&self, id: AuthorId) -> Result<AuthorDetail> {
        let id = id.to_string();
        self.json(self.get(["authors", &id])?).await
    }

    /// `GET /keywords`: keywords and arXiv categories, the most used first.
    pub async fn list_keywords(&self) -> Result<Vec<KeywordItem>> {
        let list: KeywordList = self.json(self.get(["keywords"])?).await?;
        Ok(list.items)
    }

    /// `GET /keywords/{slug}`: one keyword.
    pub async fn get_keyword(&self, slug: &str) -> Result<KeywordItem> {
        self.json(self.get(["keywords", slug])?).await
    }
}
