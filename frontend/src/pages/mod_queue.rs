//! `/moderation/queue`: the moderators' page. Open flags grouped by what they are about (hide,
//! unhide, resolve, dismiss), pending author claims (approve, reject), and for admins the
//! accounts (suspend, lift a suspension, change a role). Everyone else is told it is for
//! moderators only (the API answers them 403 as well).

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{
    AdminUpdateUserRequest, Claim, ClaimId, ClaimStatus, CommentId, DecideClaimRequest,
    DecideFlagRequest, FlagDecision, FlagTargetKind, FlaggedTarget, Role, SummaryId, UserProfile,
};

use crate::api::{self, ApiError, ApiResult};
use crate::components::links::user_href;
use crate::components::{
    or_empty, reason_label, set_hidden, set_title, FlagTarget, Loader, RelativeTime, RequireAuth,
};
use crate::contexts::{use_announcer, use_auth, use_client};

#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    set_title("Moderators' queue");
    let auth = use_auth();
    // The role alone: a refreshed access token must not build the page again (typed reasons
    // would be lost).
    let role = Memo::new(move |_| auth.user().map(|u| u.role));
    view! {
        <header class="page-head">
            <h1>"Moderators' queue"</h1>
            <p class="meta">
                "Flags raised by readers and claims of authorship, for moderators to decide. What is done here appears in the "
                <A href="/moderation">"public moderation log"</A>"."
            </p>
        </header>
        <RequireAuth>
            {move || match role.get() {
                Some(role) if role.can_moderate() => view! { <Queue role/> }.into_any(),
                _ => view! { <ModeratorsOnly/> }.into_any(),
            }}
        </RequireAuth>
    }
}

#[component]
fn ModeratorsOnly() -> impl IntoView {
    view! {
        <div class="error-box" role="alert" data-testid="moderators-only">
            <strong>"Moderators only"</strong>
            <p>"This page is for the site's moderators. The public moderation log shows what they do."</p>
        </div>
    }
}

#[component]
fn Queue(role: Role) -> impl IntoView {
    view! {
        <nav class="links" aria-label="Sections">
            <a class="button small" href="#flags">"Flags"</a>
            <a class="button small" href="#claims">"Author claims"</a>
            <a class="button small" href="#users">"Users"</a>
        </nav>
        <Flags/>
        <Claims/>
        <Users role/>
    }
}

/// A reason input for a group of buttons, labelled for `what`.
#[component]
fn ReasonInput(id: String, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>"Reason (shown in the public moderation log)"</label>
            <input id=id type="text" maxlength="500"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// The problem of a 403 as the page's "moderators only" message, anything else as it is.
fn forbidden_or(error: &ApiError) -> AnyView {
    if error.status() == Some(403) {
        view! { <ModeratorsOnly/> }.into_any()
    } else {
        view! { <p class="form-error" role="alert">{error.message()}</p> }.into_any()
    }
}

// ---- flags ----------------------------------------------------------------------------------

#[component]
fn Flags() -> impl IntoView {
    let client = use_client();
    let queue = LocalResource::new(move || async move { client.flag_queue(None).await });
    let reload = Callback::new(move |()| queue.refetch());
    view! {
        <section class="mod-section" aria-labelledby="flags">
            <h2 id="flags" tabindex="-1">"Flags"</h2>
            <Loader label="Loading flags…">
                {move || Suspend::new(async move {
                    let queue = match queue.await {
                        Ok(queue) => queue,
                        Err(error) => return Ok::<_, ApiError>(forbidden_or(&error)),
                    };
                    Ok(or_empty(queue.items.is_empty(), "No open flags.", move || {
                        queue.items.into_iter().map(|target| view! { <FlaggedCard target reload/> }).collect_view().into_any()
                    }))
                })}
            </Loader>
        </section>
    }
}

fn kind_name(kind: FlagTargetKind) -> &'static str {
    match kind {
        FlagTargetKind::Summary => "Summary",
        FlagTargetKind::Comment => "Comment",
        FlagTargetKind::Paper => "Paper",
    }
}

/// What a queue entry can be hidden as (papers are corrected, not hidden).
fn hideable(kind: FlagTargetKind, id: i64) -> Option<FlagTarget> {
    match kind {
        FlagTargetKind::Summary => Some(FlagTarget::Summary(SummaryId(id))),
        FlagTargetKind::Comment => Some(FlagTarget::Comment(CommentId(id))),
        FlagTargetKind::Paper => None,
    }
}

/// What a moderator does with a flagged target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagAction {
    Hide,
    Unhide,
    Decide(FlagDecision),
}

#[component]
fn FlaggedCard(target: FlaggedTarget, reload: Callback<()>) -> impl IntoView {
    let client = use_client();
    let announcer = use_announcer();
    let reason = RwSignal::new(String::new());
    let key = format!("{}-{}", target.kind.as_str(), target.id);
    let heading_id = format!("flagged-{key}");
    let reason_id = format!("flagged-{key}-reason");
    let flag_ids: Vec<_> = target.flags.iter().map(|f| f.id).collect();
    let hide_target = hideable(target.kind, target.id);
    let act = Action::new_local(move |action: &FlagAction| {
        let action = *action;
        let flag_ids = flag_ids.clone();
        let why = reason.get_untracked();
        async move {
            let said = match (action, hide_target) {
                (FlagAction::Hide, Some(t)) => {
                    set_hidden(client, t, true, why).await?;
                    "Hidden; its flags are resolved."
                }
                (FlagAction::Unhide, Some(t)) => {
                    set_hidden(client, t, false, why).await?;
                    "Shown again."
                }
                (FlagAction::Decide(decision), _) => {
                    let body = DecideFlagRequest {
                        status: decision.as_str().to_owned(),
                        reason: Some(why.trim().to_owned()).filter(|r| !r.is_empty()),
                    };
                    for id in flag_ids {
                        client.decide_flag(id, &body).await?;
                    }
                    match decision {
                        FlagDecision::Resolved => "Flags resolved.",
                        FlagDecision::Dismissed => "Flags dismissed.",
                    }
                }
                _ => return Ok(()),
            };
            announcer.say(said);
            reload.run(());
            Ok::<_, ApiError>(())
        }
    });
    let pending = move || act.pending().get();
    let error = move || {
        act.value()
            .get()
            .and_then(Result::err)
            .map(|e| forbidden_or(&e))
    };
    let count = match target.count {
        1 => "1 flag".to_owned(),
        n => format!("{n} flags"),
    };
    let reasons = target
        .reasons
        .iter()
        .map(|r| format!("{} ×{}", reason_label(r.reason), r.count))
        .collect::<Vec<_>>()
        .join(", ");
    let hidden = target.hidden;
    view! {
        <article class="card flagged" aria-labelledby=heading_id data-testid="flagged-target">
            <h3 id=heading_id.clone()>
                <A href=target.link.clone()>{format!("{} {}", kind_name(target.kind), target.id)}</A>
                " on “" {target.title.clone()} "”"
            </h3>
            <p class="meta">
                {count} " · " {reasons}
                {hidden.then(|| view! { " " <span class="chip danger">"hidden"</span> })}
            </p>
            {(!target.excerpt.is_empty()).then(|| view! { <blockquote class="excerpt">{target.excerpt.clone()}</blockquote> })}
            <ul class="flag-list">
                {target.flags.into_iter().map(|flag| view! {
                    <li>
                        <strong>{reason_label(flag.reason)}</strong>
                        " by " {flag.flagger.unwrap_or_else(|| "a former user".to_owned())}
                        " · " <RelativeTime at=flag.created_at/>
                        {flag.note.map(|note| view! { <p class="flag-note">"Note: " {note}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <ReasonInput id=reason_id value=reason/>
            <div class="form-actions">
                {hide_target.map(|_| if hidden {
                    view! { <button type="button" class="button small" disabled=pending on:click=move |_| { act.dispatch(FlagAction::Unhide); }>"Unhide"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button primary small" disabled=pending on:click=move |_| { act.dispatch(FlagAction::Hide); }>"Hide"</button> }.into_any()
                })}
                <button type="button" class="button small" disabled=pending on:click=move |_| { act.dispatch(FlagAction::Decide(FlagDecision::Resolved)); }>"Resolve"</button>
                <button type="button" class="button small" disabled=pending on:click=move |_| { act.dispatch(FlagAction::Decide(FlagDecision::Dismissed)); }>"Dismiss"</button>
            </div>
            {error}
        </article>
    }
}

// ---- claims ---------------------------------------------------------------------------------

#[component]
fn Claims() -> impl IntoView {
    let client = use_client();
    let claims = LocalResource::new(move || async move { client.claims(None).await });
    let reload = Callback::new(move |()| claims.refetch());
    view! {
        <section class="mod-section" aria-labelledby="claims">
            <h2 id="claims" tabindex="-1">"Author claims"</h2>
            <Loader label="Loading claims…">
                {move || Suspend::new(async move {
                    let page = match claims.await {
                        Ok(page) => page,
                        Err(error) => return Ok::<_, ApiError>(forbidden_or(&error)),
                    };
                    let pending: Vec<Claim> = page.items.into_iter().filter(|c| c.status == ClaimStatus::Pending).collect();
                    Ok(or_empty(pending.is_empty(), "No pending claims.", move || {
                        pending.into_iter().map(|claim| view! { <ClaimCard claim reload/> }).collect_view().into_any()
                    }))
                })}
            </Loader>
        </section>
    }
}

#[component]
fn ClaimCard(claim: Claim, reload: Callback<()>) -> impl IntoView {
    let client = use_client();
    let announcer = use_announcer();
    let id: ClaimId = claim.id;
    let reason = RwSignal::new(String::new());
    let decide = Action::new_local(move |approve: &bool| {
        let body = DecideClaimRequest {
            status: if *approve { "approved" } else { "rejected" }.to_owned(),
            reason: Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
        };
        let approve = *approve;
        async move {
            client.decide_claim(id, &body).await?;
            announcer.say(if approve {
                "Claim approved."
            } else {
                "Claim rejected."
            });
            reload.run(());
            Ok::<_, ApiError>(())
        }
    });
    let pending = move || decide.pending().get();
    let heading_id = format!("claim-{id}");
    let who = claim.username.clone().map_or_else(
        || view! { <span>"A former user"</span> }.into_any(),
        |name| view! { <A href=user_href(&name)>{name}</A> }.into_any(),
    );
    view! {
        <article class="card claim-card" aria-labelledby=heading_id data-testid="claim">
            <h3 id=heading_id.clone()>{who} " claims to be " {claim.author_name.clone()}</h3>
            <p class="meta">
                "From " <A href=format!("/papers/{}", claim.paper_id)>{claim.paper_title.clone()}</A>
                " · " <RelativeTime at=claim.created_at/>
            </p>
            <p>
                {match claim.orcid.clone() {
                    Some(orcid) => view! { "ORCID iD: " <a href=format!("https://orcid.org/{orcid}") rel="external noopener">{orcid.clone()}</a> }.into_any(),
                    None => view! { "No ORCID iD given." }.into_any(),
                }}
            </p>
            <ReasonInput id=format!("claim-{id}-reason") value=reason/>
            <div class="form-actions">
                <button type="button" class="button primary small" disabled=pending on:click=move |_| { decide.dispatch(true); }>"Approve"</button>
                <button type="button" class="button small" disabled=pending on:click=move |_| { decide.dispatch(false); }>"Reject"</button>
            </div>
            {move || decide.value().get().and_then(Result::err).map(|e| forbidden_or(&e))}
        </article>
    }
}

// ---- users ----------------------------------------------------------------------------------

#[component]
fn Users(role: Role) -> impl IntoView {
    view! {
        <section class="mod-section" aria-labelledby="users">
            <h2 id="users" tabindex="-1">"Users"</h2>
            {if role == Role::Admin {
                view! { <UserLookup/> }.into_any()
            } else {
                view! { <p class="meta">"Only admins suspend accounts and change roles."</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn UserLookup() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let lookup = Action::new_local(move |name: &String| {
        let name = name.trim().trim_start_matches('@').to_owned();
        async move { api::user(&name).await }
    });
    // The profile shown, replaced by each lookup and by each change.
    let shown = RwSignal::new(None::<UserProfile>);
    Effect::new(move |_| {
        if let Some(Ok(profile)) = lookup.value().get() {
            shown.set(Some(profile));
        }
    });
    view! {
        <form
            class="user-lookup"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                shown.set(None);
                lookup.dispatch(name.get_untracked());
            }
        >
            <div class="field">
                <label for="lookup-username">"Username"</label>
                <input id="lookup-username" type="text" autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button small" disabled=move || lookup.pending().get()>"Look up"</button>
        </form>
        <p class="form-error" role="alert">
            {move || lookup.value().get().and_then(Result::err).map(|e| {
                if e.is_not_found() { "No user by that name.".to_owned() } else { e.message() }
            })}
        </p>
        {move || shown.get().map(|profile| view! { <UserAdmin profile shown/> })}
    }
}

#[component]
fn UserAdmin(profile: UserProfile, shown: RwSignal<Option<UserProfile>>) -> impl IntoView {
    let client = use_client();
    let announcer = use_announcer();
    let username = profile.username.clone();
    let reason = RwSignal::new(String::new());
    let role = RwSignal::new(profile.role.as_str().to_owned());
    let change = Action::new_local(move |body: &AdminUpdateUserRequest| {
        let mut body = body.clone();
        body.reason = Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty());
        let username = username.clone();
        async move {
            let updated: ApiResult<UserProfile> = client.update_user(&username, &body).await;
            let updated = updated?;
            announcer.say(format!(
                "Saved: {} is {}{}.",
                updated.username,
                updated.role.as_str(),
                if updated.suspended { ", suspended" } else { "" }
            ));
            shown.try_set(Some(updated));
            Ok::<_, ApiError>(())
        }
    });
    let pending = move || change.pending().get();
    let suspended = profile.suspended;
    let role_of = |name: &str| match name {
        "admin" => Role::Admin,
        "moderator" => Role::Moderator,
        _ => Role::User,
    };
    view! {
        <article class="card user-admin" aria-labelledby="user-admin-heading" data-testid="user-admin">
            <h3 id="user-admin-heading"><A href=user_href(&profile.username)>{profile.username.clone()}</A></h3>
            <p class="meta" data-testid="user-state">
                {format!("Role: {}", profile.role.as_str())}
                {suspended.then_some(" · suspended")}
            </p>
            <ReasonInput id="user-reason".to_owned() value=reason/>
            <div class="form-actions">
                <button type="button" class="button small" disabled=pending on:click=move |_| {
                    change.dispatch(AdminUpdateUserRequest { suspended: Some(!suspended), ..Default::default() });
                }>
                    {if suspended { "Lift suspension" } else { "Suspend" }}
                </button>
            </div>
            <div class="field">
                <label for="user-role">"Role"</label>
                <select id="user-role" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="user">"User"</option>
                    <option value="moderator">"Moderator"</option>
                    <option value="admin">"Admin"</option>
                </select>
            </div>
            <button type="button" class="button small" disabled=pending on:click=move |_| {
                change.dispatch(AdminUpdateUserRequest { role: Some(role_of(&role.get_untracked())), ..Default::default() });
            }>"Change role"</button>
            <p class="form-error" role="alert">
                {move || change.value().get().and_then(Result::err).map(|e| {
                    e.field("role").or_else(|| e.field("suspended")).unwrap_or_else(|| e.message())
                })}
            </p>
        </article>
    }
}
