//! Sample texts: the sentences of abstracts and summaries, the summaries' Markdown (with math) and
//! the comments, each written once and reused.

use std::fmt::Write as _;

use rand::rngs::StdRng;
use rand::Rng as _;

use super::vocab::TOPICS;

pub(super) const SENTENCES: &[&str] = &[
    "We study the problem in a setting where labelled data is scarce and distribution shift is common.",
    "Our method combines a learned prior with an explicit model of uncertainty.",
    "Experiments on standard benchmarks show consistent gains over strong baselines.",
    "We prove a bound on the generalization error that depends only on the margin.",
    "The approach scales linearly in the number of tokens and needs no extra supervision.",
    "Ablations show that each component contributes to the final accuracy.",
    "We release code and pretrained models to make the results easy to reproduce.",
    "Surprisingly, a simple baseline matches the state of the art when tuned carefully.",
    "The analysis reveals a trade-off between robustness and accuracy.",
    "We introduce a new benchmark that exposes failure modes of current systems.",
];

/// Summary texts, rendered once each and reused.
pub(super) fn summary_samples(rng: &mut StdRng) -> Vec<String> {
    let formulas = [
        r"$\mathcal{L}(\theta) = \mathbb{E}_{x \sim p}[-\log q_\theta(x)]$",
        r"$O(n^2 d)$",
        r"$\nabla_\theta J = \mathbb{E}[\nabla_\theta \log \pi_\theta(a|s) A(s,a)]$",
        r"$\mathrm{softmax}(QK^\top / \sqrt{d})V$",
        r"$p(z|x) \propto p(x|z)p(z)$",
        r"$\|W\|_2 \le 1$",
    ];
    (0..48)
        .map(|i| {
            let mut text = String::new();
            let topic = TOPICS[i % TOPICS.len()];
            let _ = writeln!(
                text,
                "The paper tackles **{topic}** with a surprisingly simple idea."
            );
            text.push('\n');
            let paragraphs = 2 + rng.random_range(0..4);
            for p in 0..paragraphs {
                let sentences = 2 + rng.random_range(0..4);
                for _ in 0..sentences {
                    text.push_str(SENTENCES[rng.random_range(0..SENTENCES.len())]);
                    text.push(' ');
                }
                if p % 2 == 0 {
                    let _ = write!(
                        text,
                        "The key quantity is {}.",
                        formulas[rng.random_range(0..formulas.len())]
                    );
                }
                text.push_str("\n\n");
            }
            if i % 3 == 0 {
                text.push_str("$$\\min_\\theta \\sum_{i=1}^n \\ell(f_\\theta(x_i), y_i) + \\lambda \\|\\theta\\|^2$$\n\n");
            }
            if i % 4 == 0 {
                text.push_str("- strength: clear ablations\n- weakness: one dataset\n");
            }
            text
        })
        .collect()
}

pub(super) fn comment_samples() -> Vec<String> {
    [
        "Nice summary! Does the bound hold for non-convex losses too?",
        "I think the second experiment is missing a baseline with the same compute.",
        "The formula $\\mathbb{E}[X] = \\mu$ in the third paragraph should be conditioned on $Z$.",
        "Thanks, this made the paper much easier to follow.",
        "How does this compare with the method from last year's workshop?",
        "Agreed. The code release helps a lot.",
        "Small typo: *generalisation* is spelled two ways.",
        "Could you add the dataset sizes?",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}
