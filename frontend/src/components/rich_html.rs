//! Server-rendered, sanitised HTML (summaries, comments, the preview, search snippets), put in
//! the page as it is, with one change: every displayed formula (and table) is wrapped in its own
//! focusable, labelled scroll region, so one wider than a phone scrolls inside the text instead
//! of pushing the page sideways, and keyboard users can scroll it too; code blocks, which scroll
//! themselves, take focus for the same reason.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Wraps each displayed formula (and each displayed formula that failed to parse) under `root`
/// in `<div class="math-scroll" tabindex="0" role="region" aria-label="Formula">`, and each
/// table in a `table-scroll` region labelled "Table", once; makes code blocks focusable.
pub fn wrap_wide_math(root: &web_sys::Element) {
    wrap_all(
        root,
        r#"math[display="block"], .math-error.math-display"#,
        "math-scroll",
        "Formula",
    );
    wrap_all(root, "table", "table-scroll", "Table");
    if let Ok(blocks) = root.query_selector_all("pre") {
        for i in 0..blocks.length() {
            if let Some(block) = blocks
                .item(i)
                .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
            {
                let _ = block.set_attribute("tabindex", "0");
            }
        }
    }
}

/// Wraps each element matching `selector` in a focusable region `<div class=… aria-label=…>`.
fn wrap_all(root: &web_sys::Element, selector: &str, class: &str, label: &str) {
    let Ok(found) = root.query_selector_all(selector) else {
        return;
    };
    let document = document();
    for i in 0..found.length() {
        let Some(formula) = found
            .item(i)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(parent) = formula.parent_element() else {
            continue;
        };
        if parent.class_list().contains(class) {
            continue;
        }
        let Ok(wrapper) = document.create_element("div") else {
            continue;
        };
        wrapper.set_class_name(class);
        let _ = wrapper.set_attribute("tabindex", "0");
        let _ = wrapper.set_attribute("role", "region");
        let _ = wrapper.set_attribute("aria-label", label);
        if parent.insert_before(&wrapper, Some(&formula)).is_ok() {
            let _ = wrapper.append_child(&formula);
        }
    }
}

/// `html` in a `<div class=…>`, displayed formulas wrapped by [`wrap_wide_math`].
#[component]
pub fn RichHtml(
    #[prop(into)] html: Signal<String>,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] id: Option<String>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        // Runs again whenever the HTML changes (after Leptos has set it).
        html.track();
        if let Some(element) = node.get() {
            // After the frame's DOM updates, so the new HTML is in place.
            request_animation_frame(move || wrap_wide_math(&element));
        }
    });
    view! {
        <div node_ref=node class=class id=id data-testid=testid inner_html=move || html.get()></div>
    }
}
