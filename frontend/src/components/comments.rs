//! A summary's discussion: comments with nested replies, Markdown bodies, and forms to add,
//! answer, edit and delete them. After every change the thread is loaded again, so what is shown
//! is always what the server has (including "[deleted]" placeholders it keeps for replies).

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{
    Comment, CommentId, CreateCommentRequest, SummaryId, UpdateCommentRequest,
};

use super::summary_parts::{run_if_confirmed, ActionError, VerifiedBadge};
use super::{
    or_empty, use_login_here, Field, FlagButton, FlagTarget, Loader, ModerateButton, RelativeTime,
    RichHtml, Submit, UserName,
};
use crate::api::ApiError;
use crate::contexts::{use_auth, use_client};

/// Replies deeper than this are not indented further (phones have no room for it).
const MAX_INDENT: usize = 4;

/// What every comment of one thread needs.
#[derive(Clone, Copy)]
struct ThreadCtx {
    summary_id: SummaryId,
    share: StoredValue<Option<String>>,
    reload: Callback<()>,
    signed_in: Signal<bool>,
    /// No new comments or replies (private and hidden summaries are not discussed).
    closed: bool,
}

/// The comment thread of a summary. `count` (when given) is kept at the number of visible
/// comments; `closed` threads take no new comments.
#[component]
pub fn Comments(
    summary_id: SummaryId,
    #[prop(default = None)] share: Option<String>,
    #[prop(optional)] count: Option<RwSignal<i64>>,
    #[prop(default = false)] closed: bool,
) -> impl IntoView {
    let client = use_client();
    let viewer = use_auth().viewer();
    let share = StoredValue::new(share);
    // Loaded again when someone else signs in (`mine` changes) and after every change.
    let thread = LocalResource::new(move || {
        viewer.track();
        let share = share.get_value();
        async move { client.comments(summary_id, share.as_deref()).await }
    });
    if let Some(count) = count {
        Effect::new(move |_| {
            if let Some(n) = thread.map(|t| t.as_ref().map(|t| t.count).ok()).flatten() {
                count.set(n);
            }
        });
    }

    let ctx = ThreadCtx {
        summary_id,
        share,
        reload: Callback::new(move |()| thread.refetch()),
        signed_in: Signal::derive(move || matches!(viewer.get(), Some(Some(_)))),
        closed,
    };

    view! {
        <div class="comments" data-testid="comments">
            <Loader label="Loading comments…">
                {move || Suspend::new(async move {
                    let thread = thread.await?;
                    Ok::<_, ApiError>(or_empty(thread.items.is_empty(), "No comments yet.", move || {
                        view! {
                            <div class="comment-list">
                                {thread.items.into_iter().map(|comment| view! { <CommentView comment depth=0 ctx/> }).collect_view()}
                            </div>
                        }.into_any()
                    }))
                })}
            </Loader>
            <NewCommentForm ctx/>
        </div>
    }
}

/// A labelled textarea with its error under it, and submit and (optional) cancel buttons.
#[component]
fn CommentForm(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    submit_label: &'static str,
    text: RwSignal<String>,
    submit: Submit,
    #[prop(optional, into)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        submit.error().map(|e| {
            e.field("body_markdown")
                .or_else(|| e.field("parent_id"))
                .unwrap_or_else(|| e.message())
        })
    });
    view! {
        <form
            class="comment-form"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit.submit();
            }
        >
            <Field id label name="body_markdown" rows=3 value=text error/>
            <div class="form-actions">
                <button class="button primary small" type="submit" disabled=move || submit.pending()>{submit_label}</button>
                {on_cancel.map(|cancel| view! {
                    <button
                        class="button small"
                        type="button"
                        on:click=move |_| {
                            submit.reset();
                            cancel.run(());
                        }
                    >
                        "Cancel"
                    </button>
                })}
            </div>
        </form>
    }
}

/// Posts a comment (a reply to `parent_id` when set) from `text`; on success clears it, runs
/// `done` and reloads the thread.
fn post_comment(
    ctx: ThreadCtx,
    parent_id: Option<CommentId>,
    text: RwSignal<String>,
    done: Option<Callback<()>>,
) -> Submit {
    let client = use_client();
    let post = Action::new_local(move |body: &CreateCommentRequest| {
        let body = body.clone();
        let share = ctx.share.get_value();
        async move {
            client
                .create_comment(ctx.summary_id, &body, share.as_deref())
                .await?;
            text.try_set(String::new());
            if let Some(done) = done {
                done.run(());
            }
            ctx.reload.run(());
            Ok::<_, ApiError>(())
        }
    });
    Submit::new(post, move || CreateCommentRequest {
        body_markdown: text.get_untracked(),
        parent_id,
    })
}

#[component]
fn NewCommentForm(ctx: ThreadCtx) -> impl IntoView {
    let login_here = use_login_here();
    let text = RwSignal::new(String::new());
    let submit = post_comment(ctx, None, text, None);
    move || {
        if ctx.closed {
            view! {
                <p class="meta">"Only public summaries take comments."</p>
            }
            .into_any()
        } else if ctx.signed_in.get() {
            view! {
                <CommentForm
                    id=format!("new-comment-{}", ctx.summary_id)
                    label="Add a comment"
                    submit_label="Post comment"
                    text submit
                />
            }
            .into_any()
        } else {
            view! {
                <p class="meta"><A href=login_here>"Sign in"</A>" to join the discussion."</p>
            }
            .into_any()
        }
    }
}

/// One comment, its actions and forms, and its replies (indented up to [`MAX_INDENT`]).
#[component]
fn CommentView(comment: Comment, depth: usize, ctx: ThreadCtx) -> AnyView {
    let client = use_client();
    let id = comment.id;
    let replying = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let reply_text = RwSignal::new(String::new());
    let edit_text = RwSignal::new(comment.body_markdown.clone().unwrap_or_default());

    let gone = comment.deleted || comment.body_html.is_none();
    let placeholder = if comment.deleted {
        "[deleted]"
    } else {
        "[hidden by a moderator]"
    };
    let can_edit = comment.mine && !comment.deleted;
    let original = comment.body_markdown.clone().unwrap_or_default();

    let reply = post_comment(
        ctx,
        Some(id),
        reply_text,
        Some(Callback::new(move |()| {
            replying.try_set(false);
        })),
    );
    let save = Action::new_local(move |body: &UpdateCommentRequest| {
        let body = body.clone();
        async move {
            client.update_comment(id, &body).await?;
            editing.try_set(false);
            ctx.reload.run(());
            Ok::<_, ApiError>(())
        }
    });
    let save = Submit::new(save, move || UpdateCommentRequest {
        body_markdown: Some(edit_text.get_untracked()),
        ..UpdateCommentRequest::default()
    });
    let delete = Action::new_local(move |_: &()| async move {
        client.delete_comment(id).await?;
        ctx.reload.run(());
        Ok::<_, ApiError>(())
    });

    let body_html = comment.body_html.clone().unwrap_or_default();
    let replies = comment.replies;
    let by_summary_author = comment.by_summary_author;
    let author_name = match &comment.author {
        Some(a) => a.display_name.clone().unwrap_or_else(|| a.username.clone()),
        None if by_summary_author => "the summary's author".to_owned(),
        None => "this comment".to_owned(),
    };
    // Who wrote it: the author of an anonymous summary stays unnamed in its thread.
    let who = if gone {
        view! { <span class="who anonymous">{placeholder}</span> }.into_any()
    } else if comment.author.is_none() && by_summary_author {
        view! { <span class="who" data-testid="summary-author">"the summary's author"</span> }
            .into_any()
    } else {
        view! {
            <UserName user=comment.author.clone()/>
            <VerifiedBadge verified=comment.verified_author.clone()/>
            {by_summary_author.then(|| view! {
                " " <span class="chip subtle" data-testid="summary-author">"summary author"</span>
            })}
        }
        .into_any()
    };
    view! {
        <article class="comment" id=format!("comment-{id}") data-testid="comment">
            <div class="comment-self">
                <header class="meta">
                    {who}
                    " · "
                    <a href=format!("#comment-{id}") title="Link to this comment"><RelativeTime at=comment.created_at/></a>
                    {comment.edited_at.filter(|_| !gone).map(|at| view! { " · " <span class="edited">"edited " <RelativeTime at/></span> })}
                </header>
                {move || if editing.get() {
                    let cancel_to = original.clone();
                    view! {
                        <CommentForm
                            id=format!("edit-comment-{id}")
                            label="Edit your comment"
                            submit_label="Save"
                            text=edit_text
                            submit=save
                            on_cancel=Callback::new(move |()| {
                                edit_text.set(cancel_to.clone());
                                editing.set(false);
                            })
                        />
                    }.into_any()
                } else if gone {
                    view! { <p class="comment-body deleted">{placeholder}</p> }.into_any()
                } else {
                    view! { <RichHtml html=body_html.clone() class="comment-body prose"/> }.into_any()
                }}
                <div class="comment-actions">
                    {move || (ctx.signed_in.get() && !ctx.closed && !gone && !replying.get()).then(|| view! {
                        <button type="button" class="link-button" aria-label=format!("Reply to {author_name}")
                            on:click=move |_| { reply.reset(); replying.set(true); }>"Reply"</button>
                    })}
                    {(can_edit).then(|| view! {
                        {move || (!editing.get()).then(|| view! {
                            <button type="button" class="link-button" on:click=move |_| { save.reset(); editing.set(true); }>"Edit"</button>
                        })}
                        <button type="button" class="link-button danger-link"
                            on:click=move |_| run_if_confirmed(delete, "Delete this comment?")>"Delete"</button>
                    })}
                    {(!comment.mine && !gone).then(|| view! { <FlagButton target=FlagTarget::Comment(id)/> })}
                    {(!comment.deleted).then(|| view! {
                        <ModerateButton target=FlagTarget::Comment(id) hidden=comment.hidden on_done=ctx.reload/>
                    })}
                </div>
                <ActionError action=delete/>
                {move || replying.get().then(|| view! {
                    <CommentForm
                        id=format!("reply-{id}")
                        label="Your reply"
                        submit_label="Post reply"
                        text=reply_text
                        submit=reply
                        on_cancel=Callback::new(move |()| replying.set(false))
                    />
                })}
            </div>
            {(!replies.is_empty()).then(|| view! {
                <div class="replies" class:flat={depth >= MAX_INDENT}>
                    {replies.into_iter().map(|comment| view! { <CommentView comment depth=depth + 1 ctx/> }).collect_view()}
                </div>
            })}
        </article>
    }
    .into_any()
}
