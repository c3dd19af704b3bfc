//! Following, the caller's feed, notifications and the private notification feed.

use shortscience_types::{
    Follow, FollowKind, FollowList, MarkReadRequest, NotificationFeedInfo, NotificationFeedStatus,
    NotificationId, NotificationPage, Page, SummaryPage, UnreadCount,
};

use crate::error::Result;
use crate::Client;

/// The path of a follow. A paper reference's `/` (in DOIs and old arXiv ids) separates
/// segments, as the route `/me/follows/{kind}/{key:.+}` expects.
fn follow_path(kind: FollowKind, key: &str) -> Vec<String> {
    let mut segments = vec![
        "me".to_owned(),
        "follows".to_owned(),
        kind.as_str().to_owned(),
    ];
    match kind {
        FollowKind::Paper => segments.extend(key.split('/').map(str::to_owned)),
        _ => segments.push(key.to_owned()),
    }
    segments
}

impl Client {
    /// `GET /me/follows`: everything the caller follows, with counts.
    pub async fn list_follows(&self) -> Result<FollowList> {
        self.json(self.get(["me", "follows"])?).await
    }

    /// `PUT /me/follows/{kind}/{key}`: follows a paper (id, `arxiv:…`, `doi:…`), a user
    /// (username), a venue or a keyword (slug). Following twice changes nothing.
    pub async fn create_follow(&self, kind: FollowKind, key: &str) -> Result<Follow> {
        let path = follow_path(kind, key);
        self.json(self.put(path.iter().map(String::as_str))?).await
    }

    /// `DELETE /me/follows/{kind}/{key}`: stops following (fine when not followed).
    pub async fn delete_follow(&self, kind: FollowKind, key: &str) -> Result<()> {
        let path = follow_path(kind, key);
        self.empty(self.delete(path.iter().map(String::as_str))?)
            .await
    }

    /// `GET /me/feed`: one page of new summaries from what the caller follows, newest first.
    pub async fn list_following_feed(&self, page: &Page) -> Result<SummaryPage> {
        self.json(self.get(["me", "feed"])?.query(page)?).await
    }

    /// `GET /me/notifications`: one page of the caller's notifications, with the unread count.
    pub async fn list_notifications(&self, page: &Page) -> Result<NotificationPage> {
        self.json(self.get(["me", "notifications"])?.query(page)?)
            .await
    }

    /// `POST /me/notifications/read`: marks notifications read up to and including `up_to`, or
    /// all of them (`None`). Returns the unread count left.
    pub async fn mark_notifications_read(
        &self,
        up_to: Option<NotificationId>,
    ) -> Result<UnreadCount> {
        let request = MarkReadRequest {
            up_to,
            all: up_to.is_none().then_some(true),
        };
        self.json(self.post(["me", "notifications", "read"])?.json(&request)?)
            .await
    }

    /// `GET /me/notifications/feed`: whether the caller has a private Atom feed.
    pub async fn get_notification_feed(&self) -> Result<NotificationFeedStatus> {
        self.json(self.get(["me", "notifications", "feed"])?).await
    }

    /// `POST /me/notifications/feed/rotate`: a new private Atom feed address (shown once; the
    /// old one stops working).
    pub async fn rotate_notification_feed(&self) -> Result<NotificationFeedInfo> {
        self.json(self.post(["me", "notifications", "feed", "rotate"])?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_paths_split_paper_references_only() {
        assert_eq!(
            follow_path(FollowKind::Paper, "doi:10.1007/x"),
            ["me", "follows", "paper", "doi:10.1007", "x"]
        );
        assert_eq!(
            follow_path(FollowKind::User, "ada"),
            ["me", "follows", "user", "ada"]
        );
    }
}
