use leptos::prelude::*;

use super::paper_list::PaperList;
use crate::api::PaperQuery;
use crate::components::set_title;

#[component]
pub fn HomePage() -> impl IntoView {
    set_title("");
    view! {
        <section class="intro">
            <h1>"Short summaries of research papers"</h1>
            <p>
                "Readers explain papers in a few paragraphs, with math. The best explanations rise by vote."
            </p>
        </section>
        <PaperList query=Signal::derive(PaperQuery::default)/>
    }
}
