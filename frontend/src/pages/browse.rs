//! Author, keyword and keyword-list pages.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::{AuthorId, FollowKind, PaperListQuery};

use super::{id_param, or_not_found};
use crate::api::{self, ApiError};
use crate::components::links::{feeds, keyword_href};
use crate::components::{or_empty, set_title, FeedLink, FollowButton, Loader, PapersOf};

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn AuthorPage() -> impl IntoView {
    or_not_found(id_param::<AuthorId>(), |id| {
        view! { <Author id/> }.into_any()
    })
}

#[component]
fn Author(id: AuthorId) -> impl IntoView {
    let author = LocalResource::new(move || api::author(id));
    let query = Signal::derive(move || PaperListQuery {
        author: Some(id),
        ..PaperListQuery::default()
    });
    view! {
        <Loader not_found_title="Author not found">
            {move || Suspend::new(async move {
                let author = author.await?;
                set_title(&author.name);
                Ok::<_, ApiError>(view! {
                    <PapersOf
                        kicker="Author"
                        name=author.name.clone()
                        meta=plural(author.paper_count, "paper", "papers")
                        query
                    />
                })
            })}
        </Loader>
    }
}

#[component]
pub fn KeywordPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let keyword = LocalResource::new(move || {
        let slug = slug();
        async move { api::keyword(&slug).await }
    });
    view! {
        <Loader not_found_title="Keyword not found">
            {move || Suspend::new(async move {
                let keyword = keyword.await?;
                set_title(&keyword.name);
                let query = PaperListQuery {
                    keyword: Some(keyword.slug.clone()),
                    ..PaperListQuery::default()
                };
                let kind = if keyword.kind == "arxiv" { "arXiv category" } else { "Keyword" };
                Ok::<_, ApiError>(view! {
                    <PapersOf
                        kicker=kind
                        name=keyword.name.clone()
                        meta=plural(keyword.paper_count, "paper", "papers")
                        query=Signal::stored(query)
                    >
                        <p class="meta">
                            <FeedLink href=feeds::keyword(&keyword.slug) what=format!("new summaries about {}", keyword.name)/>
                        </p>
                        <p class="head-actions">
                            <FollowButton kind=FollowKind::Keyword key=keyword.slug.clone() label=keyword.name.clone()/>
                        </p>
                    </PapersOf>
                })
            })}
        </Loader>
    }
}

#[component]
pub fn KeywordsPage() -> impl IntoView {
    set_title("Keywords");
    let keywords = LocalResource::new(api::keywords);
    let years = LocalResource::new(api::years);
    view! {
        <h1>"Browse"</h1>
        <section>
            <h2>"Years"</h2>
            <Loader>
                {move || Suspend::new(async move {
                    let list = years.await?;
                    Ok::<_, ApiError>(view! {
                        <nav class="chips" aria-label="Years">
                            {list.items.into_iter().map(|y| view! {
                                <A href=format!("/papers?year={}", y.year) attr:class="chip">{format!("{} ({})", y.year, y.paper_count)}</A>
                            }).collect_view()}
                        </nav>
                    })
                })}
            </Loader>
        </section>
        <section>
            <h2>"Keywords and arXiv categories"</h2>
            <Loader>
                {move || Suspend::new(async move {
                    let list = keywords.await?;
                    Ok::<_, ApiError>(or_empty(list.items.is_empty(), "No keywords yet.", move || {
                        view! {
                            <nav class="chips" aria-label="Keywords">
                                {list.items.into_iter().map(|k| view! {
                                    <A href=keyword_href(&k.slug) attr:class="chip">{format!("{} ({})", k.name, k.paper_count)}</A>
                                }).collect_view()}
                            </nav>
                        }.into_any()
                    }))
                })}
            </Loader>
        </section>
    }
}
