//! Author, keyword and keyword-list pages.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::paper_list::{sort_from_url, PaperList, SortTabs};
use crate::api::{self, PaperQuery};
use crate::components::{set_title, ErrorView, Loading};

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn AuthorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let author = LocalResource::new(move || {
        let id = id();
        async move { api::author(id).await }
    });
    let sort = sort_from_url();
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match author.await {
                    Ok(author) => {
                        set_title(&author.name);
                        let query = Signal::derive(move || PaperQuery {
                            author: Some(author.id.0),
                            sort: Some(sort.get()),
                            ..PaperQuery::default()
                        });
                        view! {
                            <header class="page-head">
                                <p class="kicker">"Author"</p>
                                <h1>{author.name.clone()}</h1>
                                <p class="meta">{plural(author.paper_count, "paper", "papers")}</p>
                            </header>
                            <SortTabs/>
                            <PaperList query/>
                        }.into_any()
                    }
                    Err(error) => {
                        set_title("Author not found");
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Suspense>
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
    let sort = sort_from_url();
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match keyword.await {
                    Ok(keyword) => {
                        set_title(&keyword.name);
                        let slug = keyword.slug.clone();
                        let query = Signal::derive(move || PaperQuery {
                            keyword: Some(slug.clone()),
                            sort: Some(sort.get()),
                            ..PaperQuery::default()
                        });
                        let kind = if keyword.kind == "arxiv" { "arXiv category" } else { "Keyword" };
                        view! {
                            <header class="page-head">
                                <p class="kicker">{kind}</p>
                                <h1>{keyword.name.clone()}</h1>
                                <p class="meta">{plural(keyword.paper_count, "paper", "papers")}</p>
                            </header>
                            <SortTabs/>
                            <PaperList query/>
                        }.into_any()
                    }
                    Err(error) => {
                        set_title("Keyword not found");
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Suspense>
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
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match years.await {
                        Ok(list) => view! {
                            <nav class="chips" aria-label="Years">
                                {list.items.into_iter().map(|y| view! {
                                    <A href=format!("/papers?year={}", y.year) attr:class="chip">{format!("{} ({})", y.year, y.paper_count)}</A>
                                }).collect_view()}
                            </nav>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section>
            <h2>"Keywords and arXiv categories"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match keywords.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="empty">"No keywords yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <nav class="chips" aria-label="Keywords">
                                {list.items.into_iter().map(|k| view! {
                                    <A href=format!("/keywords/{}", k.slug) attr:class="chip">{format!("{} ({})", k.name, k.paper_count)}</A>
                                }).collect_view()}
                            </nav>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
