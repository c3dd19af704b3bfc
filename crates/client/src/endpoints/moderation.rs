//! Flags, the moderators' queues, author claims and the public moderation log.

use shortscience_types::{
    Claim, ClaimId, ClaimPage, CreateClaimRequest, CreateFlagRequest, DecideClaimRequest,
    DecideFlagRequest, DecidedFlag, Flag, FlagId, FlagQueue, ModerationLogPage, Page, PaperRef,
};

use super::papers::paper_path;
use crate::error::Result;
use crate::Client;

impl Client {
    /// `POST /flags`: flags a summary, comment or paper (a second open flag on the same target
    /// is refused with `flag_exists`, naming the first in `problem.flag_id`).
    pub async fn create_flag(&self, request: &CreateFlagRequest) -> Result<Flag> {
        self.json(self.post(["flags"])?.json(request)?).await
    }

    /// `GET /mod/flags` (moderators): open flags grouped by target.
    pub async fn list_flags(&self, page: &Page) -> Result<FlagQueue> {
        self.json(self.get(["mod", "flags"])?.query(page)?).await
    }

    /// `PATCH /mod/flags/{id}` (moderators): resolves or dismisses a flag.
    pub async fn update_flag(
        &self,
        id: FlagId,
        request: &DecideFlagRequest,
    ) -> Result<DecidedFlag> {
        let id = id.to_string();
        self.json(self.patch(["mod", "flags", &id])?.json(request)?)
            .await
    }

    /// `GET /moderation`: one page of the public moderation log, newest first.
    pub async fn list_moderation_log(&self, page: &Page) -> Result<ModerationLogPage> {
        self.json(self.get(["moderation"])?.query(page)?).await
    }

    /// `POST /papers/{ref}/claims`: claims to be one of the paper's authors.
    pub async fn create_claim(
        &self,
        reference: &PaperRef,
        request: &CreateClaimRequest,
    ) -> Result<Claim> {
        let mut path = paper_path(reference);
        path.push("claims".to_owned());
        self.json(self.post(path.iter().map(String::as_str))?.json(request)?)
            .await
    }

    /// `GET /mod/claims` (moderators): author claims, pending first.
    pub async fn list_claims(&self, page: &Page) -> Result<ClaimPage> {
        self.json(self.get(["mod", "claims"])?.query(page)?).await
    }

    /// `PATCH /mod/claims/{id}` (moderators): approves or rejects a claim.
    pub async fn update_claim(&self, id: ClaimId, request: &DecideClaimRequest) -> Result<Claim> {
        let id = id.to_string();
        self.json(self.patch(["mod", "claims", &id])?.json(request)?)
            .await
    }
}
