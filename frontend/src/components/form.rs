//! Forms that send an [`Action`]: fields with the errors the server names for them, a
//! form-level error for the rest, and a submit button that shows while the form is being sent.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{ApiError, ApiResult};
use crate::contexts::use_announcer;

/// A form's link to its action: submitting it, and how the last submission went.
#[derive(Clone, Copy)]
pub struct Submit {
    run: Callback<()>,
    reset: Callback<()>,
    pending: Signal<bool>,
    outcome: Signal<Option<Result<(), ApiError>>>,
}

impl Submit {
    /// Submitting sends `input()` to `action`, unless a submission is still pending; the last
    /// outcome is forgotten first, so an old error does not linger while the new one is sent.
    pub fn new<I, O>(
        action: Action<I, ApiResult<O>>,
        input: impl Fn() -> I + Send + Sync + 'static,
    ) -> Self
    where
        I: Send + Sync + 'static,
        O: Send + Sync + 'static,
    {
        let value = action.value();
        let pending = action.pending();
        Self {
            run: Callback::new(move |()| {
                if !pending.get_untracked() {
                    value.set(None);
                    action.dispatch(input());
                }
            }),
            reset: Callback::new(move |()| value.set(None)),
            pending: pending.into(),
            outcome: Signal::derive(move || {
                value.with(|v| {
                    v.as_ref()
                        .map(|result| result.as_ref().map(drop).map_err(Clone::clone))
                })
            }),
        }
    }

    pub fn submit(&self) {
        self.run.run(());
    }

    /// Forgets the last outcome (a cancelled form shows no old error when opened again).
    pub fn reset(&self) {
        self.reset.run(());
    }

    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// The last submission's error, until the next submission.
    pub fn error(&self) -> Option<ApiError> {
        self.outcome.get().and_then(Result::err)
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.outcome.get(), Some(Ok(())))
    }
}

/// What the fields of a [`Form`] share: its error, and the server's names of the fields it
/// shows (an error naming none of them is shown for the whole form).
#[derive(Clone, Copy)]
struct FormFields {
    error: Signal<Option<ApiError>>,
    names: StoredValue<Vec<&'static str>>,
}

/// The enclosing [`Form`]'s message for the server's fields `names`, which are registered as
/// shown by a field; nothing outside a form.
fn form_error(names: Vec<&'static str>) -> Signal<Option<String>> {
    let Some(form) = use_context::<FormFields>() else {
        return Signal::stored(None);
    };
    form.names
        .update_value(|all| all.extend(names.iter().copied()));
    Signal::derive(move || {
        form.error.with(|error| {
            let error = error.as_ref()?;
            names.iter().find_map(|name| error.field(name))
        })
    })
}

/// A form sent through an [`Action`] (see [`Submit`]). Its [`Field`]s and [`Check`]s show the
/// errors the server names for them; any other error is shown above the submit button.
#[component]
pub fn Form(
    submit: Submit,
    /// The submit button's text.
    label: &'static str,
    /// The button's text while the form is being sent (else `label`).
    #[prop(optional)]
    pending_label: Option<&'static str>,
    /// Said (as a status) after a successful submission, e.g. "Saved.".
    #[prop(optional)]
    done: Option<&'static str>,
    #[prop(optional)] class: Option<&'static str>,
    /// More about the form's error, e.g. a link that resolves it.
    #[prop(optional)]
    error_hint: Option<fn(&ApiError) -> Option<AnyView>>,
    /// More actions beside the submit button; then the button and they are grouped in a
    /// `.form-actions` row.
    #[prop(optional, into)]
    actions: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    // The outcome of each submission is also said in the app's live region: the error and
    // "done" texts appear in the form, where a screen reader may not be looking.
    let announcer = use_announcer();
    Effect::new(move |_| {
        if submit.pending() {
            return;
        }
        match submit.outcome.get() {
            Some(Ok(())) => {
                if let Some(done) = done {
                    announcer.say(done);
                }
            }
            Some(Err(error)) => announcer.say(error.message()),
            None => {}
        }
    });
    let names = StoredValue::new(Vec::new());
    let fields = FormFields {
        error: Signal::derive(move || submit.error()),
        names,
    };
    let general = move || {
        let error = submit.error().filter(|error| {
            names.with_value(|names| names.iter().all(|name| error.field(name).is_none()))
        })?;
        let hint = error_hint.and_then(|hint| hint(&error));
        Some(view! { {error.message()} {hint} })
    };
    let button = view! {
        <button class="button primary" type="submit" disabled=move || submit.pending()>
            {move || if submit.pending() { pending_label.unwrap_or(label) } else { label }}
        </button>
    };
    let done = done.map(|text| {
        view! { <span class="saved" role="status">{move || submit.succeeded().then_some(text)}</span> }
    });
    let footer = match actions {
        Some(actions) => {
            view! { <div class="form-actions">{button} {done} {actions.run()}</div> }.into_any()
        }
        None => view! { {button} {done} }.into_any(),
    };
    view! {
        <form
            class=class
            novalidate
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                submit.submit();
            }
        >
            <Provider value=fields>{children()}</Provider>
            <p class="form-error" role="alert">{general}</p>
            {footer}
        </form>
    }
}

/// A labelled input (or textarea) with its hint, and its error right under it.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The control's name; its id is `field-{name}` unless `id` is given.
    name: &'static str,
    #[prop(optional, into)] id: Option<String>,
    #[prop(into, default = "text".into())] kind: String,
    #[prop(into, default = String::new())] autocomplete: String,
    /// A textarea of this many rows instead of an input.
    #[prop(optional)]
    rows: Option<u32>,
    value: RwSignal<String>,
    #[prop(optional, into)] hint: Option<String>,
    /// The server's names for this field, when they are not `name`.
    #[prop(optional)]
    fields: Option<&'static [&'static str]>,
    /// The message under the field; by default the enclosing [`Form`]'s error for it.
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error =
        error.unwrap_or_else(|| form_error(fields.map_or_else(|| vec![name], <[_]>::to_vec)));
    let invalid = move || error.with(Option::is_some);
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = match hint {
        Some(_) => format!("{error_id} {hint_id}"),
        None => error_id.clone(),
    };
    let attributes = view! {
        <{..}
            id=id.clone()
            name=name
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || invalid().to_string()
            aria-describedby=described
        />
    };
    let control = match rows {
        None => view! { <input {..attributes} type=kind autocomplete=autocomplete/> }.into_any(),
        Some(rows) => view! { <textarea {..attributes} rows=rows></textarea> }.into_any(),
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{label}</label>
            {control}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled checkbox with its hint, and the enclosing [`Form`]'s error for it.
#[component]
pub fn Check(
    label: &'static str,
    /// The server's name of the field; the checkbox's id is `field-{name}`.
    name: &'static str,
    checked: RwSignal<bool>,
    hint: &'static str,
) -> impl IntoView {
    let error = form_error(vec![name]);
    let id = format!("field-{name}");
    view! {
        <div class="check" class:invalid=move || error.with(Option::is_some)>
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            <label for=id>{label}</label>
            <p class="hint">{hint}</p>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A venue's kind (`VenueKind::as_str` values), for the forms that add and correct papers.
#[component]
pub fn VenueKindSelect(value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="field-venue-kind">"Venue kind"</label>
            <select id="field-venue-kind" on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                <option value="conference">"Conference"</option>
                <option value="journal">"Journal"</option>
                <option value="workshop">"Workshop"</option>
                <option value="preprint">"Preprint server"</option>
                <option value="other">"Other"</option>
            </select>
        </div>
    }
}
