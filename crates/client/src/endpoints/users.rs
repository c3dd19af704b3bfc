//! Public profiles and account administration.

use futures_util::Stream;
use shortscience_types::{
    AdminUpdateUserRequest, Page, UserCommentItem, UserCommentPage, UserProfile, UserSummaryItem,
    UserSummaryPage,
};

use crate::error::Result;
use crate::paginate::paginate;
use crate::Client;

impl Client {
    /// `GET /users/{username}`: a public profile.
    pub async fn get_user(&self, username: &str) -> Result<UserProfile> {
        self.json(self.get(["users", username])?).await
    }

    /// `PATCH /users/{username}`: changes a user's role or suspends them (admins only).
    pub async fn update_user(
        &self,
        username: &str,
        request: &AdminUpdateUserRequest,
    ) -> Result<UserProfile> {
        self.json(self.patch(["users", username])?.json(request)?)
            .await
    }

    /// `GET /users/{username}/summaries`: one page of a user's public summaries, newest first.
    pub async fn list_user_summaries(
        &self,
        username: &str,
        page: &Page,
    ) -> Result<UserSummaryPage> {
        self.json(self.get(["users", username, "summaries"])?.query(page)?)
            .await
    }

    /// All of a user's public summaries, across pages, as a stream.
    pub fn user_summaries_stream(
        &self,
        username: &str,
        page: Page,
    ) -> impl Stream<Item = Result<UserSummaryItem>> + Send + 'static {
        let (client, username) = (self.clone(), username.to_owned());
        paginate(page, move |page| {
            let (client, username) = (client.clone(), username.clone());
            async move {
                let found = client.list_user_summaries(&username, &page).await?;
                Ok((found.items, found.next_cursor))
            }
        })
    }

    /// `GET /users/{username}/comments`: one page of a user's comments, newest first.
    pub async fn list_user_comments(&self, username: &str, page: &Page) -> Result<UserCommentPage> {
        self.json(self.get(["users", username, "comments"])?.query(page)?)
            .await
    }

    /// All of a user's listed comments, across pages, as a stream.
    pub fn user_comments_stream(
        &self,
        username: &str,
        page: Page,
    ) -> impl Stream<Item = Result<UserCommentItem>> + Send + 'static {
        let (client, username) = (self.clone(), username.to_owned());
        paginate(page, move |page| {
            let (client, username) = (client.clone(), username.clone());
            async move {
                let found = client.list_user_comments(&username, &page).await?;
                Ok((found.items, found.next_cursor))
            }
        })
    }
}
