//! Up and down arrows with the score between them, used wherever a summary is shown.
//!
//! A click updates the arrows and the score at once, then the server's answer sets the real
//! totals; when the server refuses, everything goes back and the reason is shown. Clicking the
//! arrow that is already on withdraws the vote.

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{SummaryId, SummaryItem, Visibility};

use super::use_login_here;
use crate::contexts::{use_announcer, use_auth, use_client};

/// What the arrows show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tally {
    value: i32,
    ups: i32,
    downs: i32,
    score: i32,
}

impl Tally {
    /// The tally after the caller's vote changes to `value`.
    fn with_vote(self, value: i32) -> Self {
        let mut next = self;
        match self.value {
            1 => next.ups -= 1,
            -1 => next.downs -= 1,
            _ => {}
        }
        match value {
            1 => next.ups += 1,
            -1 => next.downs += 1,
            _ => {}
        }
        next.value = value;
        next.score = next.ups - next.downs;
        // Keep the score the server sent when its parts do not add up (never expected).
        if self.ups - self.downs != self.score {
            next.score = self.score + (value - self.value);
        }
        next
    }
}

/// The vote arrows of one summary. `share` is the share token of a private summary opened
/// through its link.
#[component]
pub fn Votes(summary: SummaryItem, #[prop(default = None)] share: Option<String>) -> impl IntoView {
    let auth = use_auth();
    let client = use_client();
    let announcer = use_announcer();
    let login_here = use_login_here();
    let id: SummaryId = summary.id;
    // Only public, visible summaries of others take votes.
    let blocked = if summary.mine {
        Some("You cannot vote on your own summary")
    } else if summary.visibility == Visibility::Private {
        Some("Private summaries are not voted on")
    } else if summary.hidden {
        Some("Hidden summaries are not voted on")
    } else {
        None
    };
    let tally = RwSignal::new(Tally {
        value: summary.my_vote.clamp(-1, 1),
        ups: summary.ups,
        downs: summary.downs,
        score: summary.score,
    });
    let error = RwSignal::new(None::<String>);
    let sign_in_prompt = RwSignal::new(false);
    // Only the newest vote's answer counts, so fast clicks cannot end in a stale state.
    let sequence = StoredValue::new(0u32);
    let share = StoredValue::new(share);

    // Sends `value`; the server's answer sets the real totals, a refusal puts `before` back.
    let vote = Action::new_local(move |&(value, before): &(i32, Tally)| {
        let this = sequence.get_value().wrapping_add(1);
        sequence.set_value(this);
        let share = share.get_value();
        async move {
            let result = client.vote(id, value, share.as_deref()).await;
            if sequence.try_get_value() != Some(this) {
                return;
            }
            match result {
                Ok(result) => {
                    let what = match result.value {
                        1 => "Upvoted",
                        -1 => "Downvoted",
                        _ => "Vote withdrawn",
                    };
                    announcer.say(format!("{what}. Score {}.", result.score));
                    tally.try_set(Tally {
                        value: result.value,
                        ups: result.ups,
                        downs: result.downs,
                        score: result.score,
                    });
                }
                Err(e) => {
                    tally.try_set(before);
                    error.try_set(Some(e.message()));
                }
            }
        }
    });
    let cast = move |clicked: i32| {
        if blocked.is_some() {
            return;
        }
        if auth.token().is_none() {
            sign_in_prompt.set(true);
            return;
        }
        let before = tally.get_untracked();
        let value = if before.value == clicked { 0 } else { clicked };
        tally.set(before.with_vote(value));
        error.set(None);
        vote.dispatch((value, before));
    };

    view! {
        <div class="votes" role="group" aria-label="Votes" data-testid="votes">
            <button
                type="button"
                class="vote up"
                class:active=move || tally.get().value == 1
                aria-label="Upvote"
                aria-pressed=move || (tally.get().value == 1).to_string()
                disabled=blocked.is_some()
                title=blocked.unwrap_or("This summary explains the paper well")
                on:click=move |_| cast(1)
            >
                <span class="arrow" aria-hidden="true">"▲"</span>
            </button>
            <span
                class="score-value"
                data-testid="score"
                title=move || { let t = tally.get(); format!("{} up, {} down", t.ups, t.downs) }
            >
                {move || tally.get().score}
            </span>
            <button
                type="button"
                class="vote down"
                class:active=move || tally.get().value == -1
                aria-label="Downvote"
                aria-pressed=move || (tally.get().value == -1).to_string()
                disabled=blocked.is_some()
                title=blocked.unwrap_or("This summary is unclear or wrong")
                on:click=move |_| cast(-1)
            >
                <span class="arrow" aria-hidden="true">"▼"</span>
            </button>
            {move || error.get().map(|message| view! {
                <p class="vote-note error" role="alert">
                    {message}
                    " "
                    <button type="button" class="link-button inline" on:click=move |_| error.set(None)>"Dismiss"</button>
                </p>
            })}
            {move || sign_in_prompt.get().then(|| view! {
                <p class="vote-note" role="status">
                    <A href=login_here>"Sign in"</A>" to vote. "
                    <button type="button" class="link-button inline" on:click=move |_| sign_in_prompt.set(false)>"Close"</button>
                </p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn votes_move_the_tally_and_withdrawing_restores_it() {
        let none = Tally {
            value: 0,
            ups: 3,
            downs: 1,
            score: 2,
        };
        let up = none.with_vote(1);
        assert_eq!((up.ups, up.downs, up.score), (4, 1, 3));
        let down = up.with_vote(-1);
        assert_eq!((down.ups, down.downs, down.score), (3, 2, 1));
        assert_eq!(down.with_vote(0), none);
    }
}
