//! Discussion under a summary.

use shortscience_types::{
    Comment, CommentId, CommentThread, CreateCommentRequest, SummaryId, UpdateCommentRequest,
};

use crate::error::Result;
use crate::Client;

impl Client {
    /// `GET /summaries/{id}/comments`: the whole thread, as a tree.
    pub async fn list_comments(&self, summary: SummaryId) -> Result<CommentThread> {
        let id = summary.to_string();
        self.json(self.get(["summaries", &id, "comments"])?).await
    }

    /// `POST /summaries/{id}/comments`: comments on a summary, or replies to a comment
    /// (`parent_id`).
    pub async fn create_comment(
        &self,
        summary: SummaryId,
        request: &CreateCommentRequest,
    ) -> Result<Comment> {
        let id = summary.to_string();
        self.json(self.post(["summaries", &id, "comments"])?.json(request)?)
            .await
    }

    /// `PATCH /comments/{id}`: edits a comment (its author) or hides it (moderators).
    pub async fn update_comment(
        &self,
        id: CommentId,
        request: &UpdateCommentRequest,
    ) -> Result<Comment> {
        let id = id.to_string();
        self.json(self.patch(["comments", &id])?.json(request)?)
            .await
    }

    /// `DELETE /comments/{id}`: deletes the caller's comment.
    pub async fn delete_comment(&self, id: CommentId) -> Result<()> {
        let id = id.to_string();
        self.empty(self.delete(["comments", &id])?).await
    }
}
