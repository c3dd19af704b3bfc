//! A summary's discussion: comments with nested replies, Markdown bodies, and forms to add,
//! answer, edit and delete them. After every change the thread is loaded again, so what is shown
//! is always what the server has (including "[deleted]" placeholders it keeps for replies).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use shortscience_types::{
    Comment, CommentId, CommentThread, CreateCommentRequest, SummaryId, UpdateCommentRequest,
};

use super::{ErrorView, Loading, RelativeTime, UserName};
use crate::api::{self, ApiError};
use crate::auth::{use_auth, Auth};

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
    let auth = use_auth();
    let viewer = auth.viewer();
    let share = StoredValue::new(share);
    let thread = RwSignal::new(None::<Result<CommentThread, ApiError>>);
    let generation = StoredValue::new(0u32);

    let load = move || {
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        spawn_local(async move {
            let share = share.try_get_value().flatten();
            let result = auth
                .call_maybe(|token| {
                    let share = share.clone();
                    async move { api::comments(summary_id, token.as_deref(), share.as_deref()).await }
                })
                .await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            if let (Ok(t), Some(count)) = (&result, count) {
                count.try_set(t.count);
            }
            thread.try_set(Some(result));
        });
    };
    // Load once the session is known, and again when someone else signs in (`mine` changes).
    Effect::new(move |_| {
        if viewer.get().is_some() {
            load();
        }
    });

    let ctx = ThreadCtx {
        summary_id,
        share,
        reload: Callback::new(move |()| load()),
        signed_in: Signal::derive(move || matches!(viewer.get(), Some(Some(_)))),
        closed,
    };

    view! {
        <div class="comments" data-testid="comments">
            {move || match thread.get() {
                None => view! { <Loading label="Loading comments…"/> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error/> }.into_any(),
                Some(Ok(t)) if t.items.is_empty() => {
                    view! { <p class="empty">"No comments yet."</p> }.into_any()
                }
                Some(Ok(t)) => view! {
                    <div class="comment-list">
                        {t.items.into_iter().map(|comment| view! { <CommentView comment depth=0 ctx/> }).collect_view()}
                    </div>
                }.into_any(),
            }}
            <NewCommentForm ctx/>
        </div>
    }
}

fn body_error(error: RwSignal<Option<ApiError>>) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                e.field("body_markdown")
                    .or_else(|| e.field("parent_id"))
                    .unwrap_or_else(|| e.message())
            })
        })
    })
}

/// A labelled textarea with its error under it, and submit and (optional) cancel buttons.
#[component]
fn CommentForm(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] submit_label: String,
    text: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    pending: RwSignal<bool>,
    #[prop(into)] on_submit: Callback<()>,
    #[prop(optional, into)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let message = body_error(error);
    let error_id = format!("{id}-error");
    view! {
        <form
            class="comment-form"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if !pending.get_untracked() {
                    on_submit.run(());
                }
            }
        >
            <div class="field" class:invalid=move || message.get().is_some()>
                <label for=id.clone()>{label}</label>
                <textarea
                    id=id
                    rows="3"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    aria-invalid=move || message.get().is_some().to_string()
                    aria-describedby=error_id.clone()
                ></textarea>
                <p class="field-error" id=error_id role="alert">{move || message.get()}</p>
            </div>
            <div class="form-actions">
                <button class="button primary small" type="submit" disabled=move || pending.get()>{submit_label}</button>
                {on_cancel.map(|cancel| view! {
                    <button class="button small" type="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}

/// Posts a comment (a reply when `parent_id` is set); clears the form and reloads on success.
fn post_comment(
    auth: Auth,
    ctx: ThreadCtx,
    parent_id: Option<CommentId>,
    text: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    pending: RwSignal<bool>,
    done: impl Fn() + 'static,
) {
    let body = CreateCommentRequest {
        body_markdown: text.get_untracked(),
        parent_id,
    };
    pending.set(true);
    error.set(None);
    spawn_local(async move {
        let share = ctx.share.try_get_value().flatten();
        let result = auth
            .call(|token| {
                let body = body.clone();
                let share = share.clone();
                async move {
                    api::create_comment(&token, ctx.summary_id, &body, share.as_deref()).await
                }
            })
            .await;
        pending.try_set(false);
        match result {
            Ok(_) => {
                text.try_set(String::new());
                done();
                ctx.reload.run(());
            }
            Err(e) => {
                error.try_set(Some(e));
            }
        }
    });
}

#[component]
fn NewCommentForm(ctx: ThreadCtx) -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let submit = move |()| post_comment(auth, ctx, None, text, error, pending, || {});
    let login_href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/login?next={}", js_sys::encode_uri_component(&here))
    };
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
                    text error pending
                    on_submit=submit
                />
            }
            .into_any()
        } else {
            view! {
                <p class="meta"><A href=login_href>"Sign in"</A>" to join the discussion."</p>
            }
            .into_any()
        }
    }
}

/// One comment, its actions and forms, and its replies (indented up to [`MAX_INDENT`]).
#[component]
fn CommentView(comment: Comment, depth: usize, ctx: ThreadCtx) -> AnyView {
    let auth = use_auth();
    let id = comment.id;
    let replying = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let reply_text = RwSignal::new(String::new());
    let edit_text = RwSignal::new(comment.body_markdown.clone().unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let action_error = RwSignal::new(None::<String>);

    let gone = comment.deleted || comment.body_html.is_none();
    let placeholder = if comment.deleted {
        "[deleted]"
    } else {
        "[hidden by a moderator]"
    };
    let can_edit = comment.mine && !comment.deleted;
    let original = comment.body_markdown.clone().unwrap_or_default();

    let reply = move |()| {
        post_comment(auth, ctx, Some(id), reply_text, error, pending, move || {
            replying.try_set(false);
        });
    };
    let save = move |()| {
        let body = UpdateCommentRequest {
            body_markdown: Some(edit_text.get_untracked()),
            ..UpdateCommentRequest::default()
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::update_comment(&token, id, &body).await }
                })
                .await;
            pending.try_set(false);
            match result {
                Ok(_) => {
                    editing.try_set(false);
                    ctx.reload.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let delete = move |_| {
        let sure = window()
            .confirm_with_message("Delete this comment?")
            .unwrap_or(false);
        if !sure {
            return;
        }
        action_error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| async move { api::delete_comment(&token, id).await })
                .await;
            match result {
                Ok(()) => ctx.reload.run(()),
                Err(e) => {
                    action_error.try_set(Some(e.message()));
                }
            }
        });
    };

    let body_html = comment.body_html.clone().unwrap_or_default();
    let replies = comment.replies;
    let author_name = comment
        .author
        .as_ref()
        .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone()))
        .unwrap_or_else(|| "this comment".to_owned());
    view! {
        <article class="comment" id=format!("comment-{id}") data-testid="comment">
            <div class="comment-self">
                <header class="meta">
                    {if gone {
                        view! { <span class="who anonymous">{placeholder}</span> }.into_any()
                    } else {
                        view! { <UserName user=comment.author.clone()/> }.into_any()
                    }}
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
                            text=edit_text error pending
                            on_submit=save
                            on_cancel=Callback::new(move |()| {
                                edit_text.set(cancel_to.clone());
                                error.set(None);
                                editing.set(false);
                            })
                        />
                    }.into_any()
                } else if gone {
                    view! { <p class="comment-body deleted">{placeholder}</p> }.into_any()
                } else {
                    view! { <div class="comment-body prose" inner_html=body_html.clone()></div> }.into_any()
                }}
                <div class="comment-actions">
                    {move || (ctx.signed_in.get() && !ctx.closed && !gone && !replying.get()).then(|| view! {
                        <button type="button" class="link-button" aria-label=format!("Reply to {author_name}")
                            on:click=move |_| { error.set(None); replying.set(true); }>"Reply"</button>
                    })}
                    {(can_edit).then(|| view! {
                        {move || (!editing.get()).then(|| view! {
                            <button type="button" class="link-button" on:click=move |_| { error.set(None); editing.set(true); }>"Edit"</button>
                        })}
                        <button type="button" class="link-button danger-link" on:click=delete>"Delete"</button>
                    })}
                </div>
                {move || action_error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                {move || replying.get().then(|| view! {
                    <CommentForm
                        id=format!("reply-{id}")
                        label="Your reply"
                        submit_label="Post reply"
                        text=reply_text error pending
                        on_submit=reply
                        on_cancel=Callback::new(move |()| { error.set(None); replying.set(false); })
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
