use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::{
    AuthorId, AuthorRef, CreateClaimRequest, FollowKind, PaperDetail, PaperId, PaperRef, SummaryId,
    SummaryItem, Visibility,
};

use super::editor::WriteSummaryPage;
use super::or_not_found;
use super::paper_tools::{EditPaperPage, PaperHistoryPage};
use crate::api::{self, ApiError, ApiResult};
use crate::components::links::{
    author_href, feeds, keyword_href, paper_href, summary_href, user_href,
};
use crate::components::{
    copy_text, login_href, set_title, summary_share, AwaitSession, Byline, Comments, FeedLink,
    Field, FlagButton, FlagTarget, FollowButton, Form, Loader, ModerateButton, OwnerActions,
    ShareMenu, Submit, SummaryBody, VenueYear, Votes,
};
use crate::contexts::{use_auth, use_client};

/// `/papers/*reference`: the paper page, or its summary editor when the path ends in `/write`
/// (a DOI reference has slashes of its own, so this cannot be a route pattern). A reference that
/// is not an id, `arxiv:…` or `doi:…` shows the not-found page.
#[component]
pub fn PaperRoute() -> impl IntoView {
    let params = use_params_map();
    let route = Memo::new(move |_| {
        params.with(|p| {
            let path = p
                .get_str("reference")
                .unwrap_or_default()
                .trim_end_matches('/');
            // `…/write`, `…/edit`, `…/history` when what comes before is a reference (the
            // server reads these addresses the same way: `domain::site::Route`).
            let tool = [Tool::Write, Tool::Edit, Tool::History]
                .into_iter()
                .find_map(|tool| {
                    let reference = path.strip_suffix(tool.suffix())?;
                    PaperRef::parse(reference).ok().map(|r| (r, tool))
                });
            tool.or_else(|| PaperRef::parse(path).ok().map(|r| (r, Tool::Read)))
        })
    });
    or_not_found(route, |(reference, tool)| match tool {
        Tool::Write => view! { <WriteSummaryPage reference/> }.into_any(),
        Tool::Edit => view! { <EditPaperPage reference/> }.into_any(),
        Tool::History => view! { <PaperHistoryPage reference/> }.into_any(),
        Tool::Read => view! {
            <AwaitSession>
                <PaperLoader reference=reference.clone()/>
            </AwaitSession>
        }
        .into_any(),
    })
}

/// What a paper's address opens: the paper, its summary editor, its metadata form or its log.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Read,
    Write,
    Edit,
    History,
}

impl Tool {
    fn suffix(self) -> &'static str {
        match self {
            Self::Read => "",
            Self::Write => "/write",
            Self::Edit => "/edit",
            Self::History => "/history",
        }
    }
}

/// The paper as the current viewer sees it (signed in, with their votes and own summaries).
pub(super) fn paper_resource(reference: PaperRef) -> LocalResource<ApiResult<PaperDetail>> {
    let client = use_client();
    LocalResource::new(move || {
        let reference = reference.clone();
        async move { client.paper(&reference).await }
    })
}

#[component]
fn PaperLoader(reference: PaperRef) -> impl IntoView {
    let paper = paper_resource(reference);
    let reload = Callback::new(move |()| paper.refetch());
    view! {
        <Loader label="Loading paper…" not_found_title="Paper not found">
            {move || Suspend::new(async move {
                let paper = paper.await?;
                set_title(&paper.title);
                Ok::<_, ApiError>(view! { <PaperView paper reload/> })
            })}
        </Loader>
    }
}

#[component]
fn PaperView(paper: PaperDetail, reload: Callback<()>) -> impl IntoView {
    let links = paper.links.clone();
    let count = paper.summaries.len();
    let paper_title = paper.title.clone();
    view! {
        <article class="paper" data-testid="paper">
            <header class="page-head">
                <h1 class="paper-title">{paper.title.clone()}</h1>
                <p class="meta authors">
                    {paper.authors.clone().into_iter().enumerate().map(|(i, author)| view! {
                        {(i > 0).then_some(", ")}
                        <PaperAuthor author/>
                    }).collect_view()}
                </p>
                <p class="meta">
                    <VenueYear venue=paper.venue.clone() year=paper.year/>
                    {paper.arxiv_id.clone().map(|id| view! { <span class="dot">" · "</span><span>"arXiv:"{id}</span> })}
                </p>
                <ul class="chips" aria-label="Keywords">
                    {paper.keywords.clone().into_iter().map(|k| view! {
                        <li><A href=keyword_href(&k.slug) attr:class="chip">{k.name}</A></li>
                    }).collect_view()}
                </ul>
                <nav class="links" aria-label="Read the paper">
                    {links.arxiv.map(|href| view! { <a class="button" href=href rel="external noopener">"arXiv"</a> })}
                    {links.pdf.map(|href| view! { <a class="button" href=href rel="external noopener">"PDF"</a> })}
                    {links.doi.map(|href| view! { <a class="button" href=href rel="external noopener">"DOI"</a> })}
                    {links.url.map(|href| view! { <a class="button" href=href rel="external noopener">"Website"</a> })}
                    <a class="button" href=links.scholar rel="external noopener">"Google Scholar"</a>
                    <CopyBibtex id=paper.id/>
                    <ShareMenu path=paper_href(paper.id) title=paper.title.clone()/>
                </nav>
                <p class="meta">
                    <FeedLink href=feeds::paper(paper.id) what=format!("new summaries of {}", paper.title)/>
                    " · " <A href=format!("{}/history", paper_href(paper.id))>"History"</A>
                    {paper.can_edit.then(|| view! {
                        " · " <A href=format!("{}/edit", paper_href(paper.id))>"Edit details"</A>
                    })}
                </p>
                <p class="head-actions">
                    <FollowButton kind=FollowKind::Paper key=paper.id.to_string() label=paper.title.clone()/>
                    " "
                    <FlagButton target=FlagTarget::Paper(paper.id)/>
                </p>
                <ClaimAuthorship reference=PaperRef::Id(paper.id) authors=paper.authors.clone()/>
            </header>
            {paper.abstract_text.clone().map(|text| view! { <Abstract text/> })}
            <section class="summaries" aria-label="Summaries">
                <div class="section-head">
                    <h2>{match count { 0 => "No summaries yet".to_owned(), 1 => "1 summary".to_owned(), n => format!("{n} summaries") }}</h2>
                    <WriteButton paper_id=paper.id mine=paper.summaries.iter().find(|s| s.mine).map(|s| s.id)/>
                </div>
                {paper.summaries.into_iter().enumerate().map(|(i, summary)| view! {
                    // The best summary is shown whole; the others as excerpts with "more".
                    <SummaryCard summary expanded=i == 0 on_deleted=reload paper_id=paper.id paper_title=paper_title.clone()/>
                }).collect_view()}
            </section>
        </article>
    }
}

/// An author's name (to their page), with a "verified" badge to the profile of the user a
/// moderator verified as them, and their ORCID iD, when known.
#[component]
fn PaperAuthor(author: AuthorRef) -> impl IntoView {
    let name = author.name.clone();
    let verified = author.verified_user.clone().map(|user| {
        let label = format!("Verified author: {name} is {user} on ShortScience");
        view! {
            " " <A href=user_href(&user) attr:class="chip verified" attr:aria-label=label attr:data-testid="verified-author">"verified"</A>
        }
    });
    let orcid = author.orcid.clone().map(|id| {
        let title = format!("ORCID iD of {name}");
        view! {
            " " <a class="orcid" href=format!("https://orcid.org/{id}") rel="external noopener" title=title>"ORCID " {id.clone()}</a>
        }
    });
    view! {
        <span class="paper-author">
            <A href=author_href(author.id)>{author.name}</A>
            {verified}
            {orcid}
        </span>
    }
}

/// "Write a summary", or "Edit your summary" when the caller has one; signed out, a way to sign
/// in first.
#[component]
fn WriteButton(paper_id: PaperId, mine: Option<SummaryId>) -> impl IntoView {
    let auth = use_auth();
    let write = format!("/papers/{paper_id}/write");
    move || {
        match (auth.user(), mine) {
        (Some(_), Some(id)) => view! {
            <A href=format!("/summaries/{id}/edit") attr:class="button primary">"Edit your summary"</A>
        }
        .into_any(),
        (Some(_), None) => {
            view! { <A href=write.clone() attr:class="button primary">"Write a summary"</A> }
                .into_any()
        }
        (None, _) => {
            view! { <A href=login_href(&write) attr:class="button">"Sign in to write a summary"</A> }
                .into_any()
        }
    }
    }
}

/// The abstract, collapsed to a few lines (so the first summary shows without scrolling) with
/// a "more" toggle when it is longer than that.
#[component]
fn Abstract(text: String) -> impl IntoView {
    const SHORT: usize = 320;
    let long = text.chars().count() > SHORT;
    let open = RwSignal::new(!long);
    view! {
        <section class="abstract" aria-labelledby="abstract-heading">
            <h2 id="abstract-heading">"Abstract"</h2>
            <p id="abstract-text" class:clamped=move || !open.get()>{text}</p>
            {long.then(|| view! {
                <button
                    type="button"
                    class="link-button inline more-toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="abstract-text"
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {move || if open.get() { "less" } else { "more" }}
                </button>
            })}
        </section>
    }
}

#[component]
fn SummaryCard(
    summary: SummaryItem,
    expanded: bool,
    on_deleted: Callback<()>,
    paper_id: PaperId,
    paper_title: String,
) -> impl IntoView {
    let id = summary.id;
    let comments_open = RwSignal::new(false);
    let count = RwSignal::new(i64::from(summary.comment_count));
    let comments_id = format!("comments-{id}");
    let closed = summary.visibility == Visibility::Private || summary.hidden;
    let share = (!closed).then(|| summary_share(&summary, paper_id, &paper_title));
    view! {
        <article class="card summary" id=format!("summary-{id}") data-testid="summary" data-card tabindex="-1">
            <Votes summary=summary.clone()/>
            <div class="summary-main">
                <header class="meta">
                    <Byline summary=summary.clone()/>
                    " · "
                    <A href=summary_href(id)>"permalink"</A>
                </header>
                <SummaryBody summary=summary.clone() expanded/>
                <footer class="summary-foot meta">
                    <button
                        type="button"
                        class="link-button"
                        aria-expanded=move || comments_open.get().to_string()
                        aria-controls=comments_id.clone()
                        on:click=move |_| comments_open.update(|o| *o = !*o)
                    >
                        {move || format!("comments ({})", count.get())}
                    </button>
                    {summary.mine.then(|| view! { <OwnerActions id on_deleted/> })}
                    {share}
                    {(!summary.mine).then(|| view! { <FlagButton target=FlagTarget::Summary(id)/> })}
                    <ModerateButton target=FlagTarget::Summary(id) hidden=summary.hidden on_done=on_deleted/>
                </footer>
                <Show when=move || comments_open.get()>
                    <section class="comments-section" id=comments_id.clone() aria-label="Comments">
                        <Comments summary_id=id count closed/>
                    </section>
                </Show>
            </div>
        </article>
    }
}

/// Fetches the paper's BibTeX and copies it to the clipboard; shows it too, for browsers that
/// refuse clipboard access.
#[component]
fn CopyBibtex(id: PaperId) -> impl IntoView {
    let copy = Action::new_local(move |_: &()| async move {
        match api::bibtex(id).await {
            Ok(text) => {
                let status = if copy_text(&text).await {
                    "Copied"
                } else {
                    "Select and copy:"
                };
                (status, Some(text))
            }
            Err(_) => ("Could not load the BibTeX", None),
        }
    });
    let status = move || copy.value().with(|v| v.as_ref().map(|(status, _)| *status));
    let bibtex = move || copy.value().get().and_then(|(_, text)| text);
    view! {
        <button class="button" on:click=move |_| { copy.dispatch(()); } data-testid="copy-bibtex">"Copy BibTeX"</button>
        <span class="saved" role="status">{status}</span>
        {move || bibtex().map(|text| view! { <pre class="bibtex" data-testid="bibtex" tabindex="0">{text}</pre> })}
    }
}

/// "Are you an author? Claim authorship": signed in, a disclosure with the paper's authors and
/// an optional ORCID iD, sent to the moderators (the server checks the ORCID checksum and names
/// the field when it is wrong).
#[component]
fn ClaimAuthorship(reference: PaperRef, authors: Vec<AuthorRef>) -> impl IntoView {
    let auth = use_auth();
    let viewer = auth.viewer();
    let reference = StoredValue::new(reference);
    let authors = StoredValue::new(authors);
    move || {
        let signed_in = matches!(viewer.get(), Some(Some(_)));
        let any = authors.with_value(|a| !a.is_empty());
        (signed_in && any).then(
            || view! { <ClaimForm reference=reference.get_value() authors=authors.get_value()/> },
        )
    }
}

#[component]
fn ClaimForm(reference: PaperRef, authors: Vec<AuthorRef>) -> impl IntoView {
    let client = use_client();
    let open = RwSignal::new(false);
    let first = authors
        .first()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    let author = RwSignal::new(first);
    let orcid = RwSignal::new(String::new());
    let send = Action::new_local(move |body: &CreateClaimRequest| {
        let body = body.clone();
        let reference = reference.clone();
        async move {
            client.create_claim(&reference, &body).await?;
            open.try_set(false);
            Ok::<_, ApiError>(())
        }
    });
    let submit = Submit::new(send, move || CreateClaimRequest {
        author_id: AuthorId(author.get_untracked().parse().unwrap_or_default()),
        orcid: Some(orcid.get_untracked().trim().to_owned()).filter(|o| !o.is_empty()),
    });
    let sent = move || submit.succeeded().then_some("Claim sent to moderators");
    view! {
        <div class="claim">
            <button
                type="button"
                class="link-button"
                aria-expanded=move || open.get().to_string()
                aria-controls="claim-form"
                on:click=move |_| {
                    submit.reset();
                    open.update(|o| *o = !*o);
                }
            >
                "Are you an author? Claim authorship"
            </button>
            <span class="saved" role="status" data-testid="claim-status">{sent}</span>
            <div id="claim-form" hidden=move || !open.get()>
                <Form submit label="Send claim" pending_label="Sending…" class="card claim-form"
                    actions=move || view! {
                        <button type="button" class="button" on:click=move |_| { submit.reset(); open.set(false); }>"Cancel"</button>
                    }
                >
                    <div class="field">
                        <label for="claim-author">"Which author are you?"</label>
                        <select id="claim-author" prop:value=move || author.get() on:change=move |ev| author.set(event_target_value(&ev))>
                            {authors.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field label="Your ORCID iD (optional)" name="orcid" id="claim-orcid" value=orcid
                        hint="For example 0000-0002-1825-0097; moderators check it before approving."/>
                </Form>
            </div>
        </div>
    }
}
