//! The demo data set: a handful of real papers (real titles, authors, venues, years and arXiv
//! categories) with summaries written for this project, so a new install shows a living site.
//!
//! Idempotent: a paper whose arXiv id is already stored is left alone, with its summaries.

use chrono::{Duration, NaiveDate};
use diesel::QueryResult;
use shortscience_types::{UserId, VenueKind, Visibility};

use crate::db::models::{self, keywords, papers, summaries, users, venues};
use crate::db::{write_transaction, DbConn};
use crate::domain::ranking;
use crate::domain::render::render_markdown;

struct DemoPaper {
    arxiv_id: &'static str,
    title: &'static str,
    authors: &'static [&'static str],
    /// (slug, name, kind)
    venue: (&'static str, &'static str, VenueKind),
    year: i32,
    /// First arXiv submission date.
    published: (i32, u32, u32),
    /// Primary category first.
    categories: &'static [&'static str],
    abstract_text: &'static str,
    /// (author username, Markdown, hours ago)
    summaries: &'static [(&'static str, &'static str, i64)],
}

/// Demo accounts: (username, display name). They have no password and cannot log in.
const DEMO_USERS: &[(&str, &str)] = &[
    ("mira", "Mira Chen"),
    ("tomasz", "Tomasz Nowak"),
    ("leila", "Leila Haddad"),
    ("sam", "Sam Okafor"),
];

/// Votes cast by demo accounts: (voter, paper arXiv id, summary author, +1/-1).
const DEMO_VOTES: &[(&str, &str, &str, i32)] = &[
    ("tomasz", "2003.10555", "mira", 1),
    ("leila", "2003.10555", "mira", 1),
    ("sam", "2003.10555", "mira", 1),
    ("leila", "2003.10555", "tomasz", 1),
    ("sam", "2003.10555", "tomasz", -1),
    ("mira", "2103.03206", "leila", 1),
    ("tomasz", "2103.03206", "leila", 1),
    ("mira", "2006.03236", "tomasz", 1),
    ("tomasz", "2003.08934", "mira", 1),
    ("leila", "2003.08934", "mira", 1),
    ("sam", "2003.08934", "mira", 1),
    ("mira", "2011.12948", "leila", 1),
    ("sam", "2011.12948", "leila", 1),
];

const PAPERS: &[DemoPaper] = &[
    DemoPaper {
        arxiv_id: "2003.08934",
        title: "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis",
        authors: &[
            "Ben Mildenhall",
            "Pratul P. Srinivasan",
            "Matthew Tancik",
            "Jonathan T. Barron",
            "Ravi Ramamoorthi",
            "Ren Ng",
        ],
        venue: ("eccv", "ECCV", VenueKind::Conference),
        year: 2020,
        published: (2020, 3, 19),
        categories: &["cs.CV", "cs.GR"],
        abstract_text: "We present a method that achieves state-of-the-art results for synthesizing novel views of complex scenes by optimizing an underlying continuous volumetric scene function using a sparse set of input views. Our algorithm represents a scene using a fully-connected (non-convolutional) deep network, whose input is a single continuous 5D coordinate (spatial location (x, y, z) and viewing direction (θ, φ)) and whose output is the volume density and view-dependent emitted radiance at that spatial location. We synthesize views by querying 5D coordinates along camera rays and use classic volume rendering techniques to project the output colors and densities into an image. Because volume rendering is naturally differentiable, the only input required to optimize our representation is a set of images with known camera poses. We describe how to effectively optimize neural radiance fields to render photorealistic novel views of scenes with complicated geometry and appearance, and demonstrate results that outperform prior work on neural rendering and view synthesis.",
        summaries: &[("mira", NERF_MIRA, 30)],
    },
    DemoPaper {
        arxiv_id: "2003.10555",
        title: "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators",
        authors: &[
            "Kevin Clark",
            "Minh-Thang Luong",
            "Quoc V. Le",
            "Christopher D. Manning",
        ],
        venue: ("iclr", "ICLR", VenueKind::Conference),
        year: 2020,
        published: (2020, 3, 23),
        categories: &["cs.CL"],
        abstract_text: "Masked language modeling (MLM) pre-training methods such as BERT corrupt the input by replacing some tokens with [MASK] and then train a model to reconstruct the original tokens. While they produce good results when transferred to downstream NLP tasks, they generally require large amounts of compute to be effective. As an alternative, we propose a more sample-efficient pre-training task called replaced token detection. Instead of masking the input, our approach corrupts it by replacing some tokens with plausible alternatives sampled from a small generator network. Then, instead of training a model that predicts the original identities of the corrupted tokens, we train a discriminative model that predicts whether each token in the corrupted input was replaced by a generator sample or not. Thorough experiments demonstrate this new pre-training task is more efficient than MLM because the task is defined over all input tokens rather than just the small subset that was masked out. As a result, the contextual representations learned by our approach substantially outperform the ones learned by BERT given the same model size, data, and compute. The gains are particularly strong for small models; for example, we train a model on one GPU for 4 days that outperforms GPT (trained using 30x more compute) on the GLUE natural language understanding benchmark. Our approach also works well at scale, where it performs comparably to RoBERTa and XLNet while using less than 1/4 of their compute and outperforms them when using the same amount of compute.",
        summaries: &[("mira", ELECTRA_MIRA, 26), ("tomasz", ELECTRA_TOMASZ, 20)],
    },
    DemoPaper {
        arxiv_id: "2006.03236",
        title: "Funnel-Transformer: Filtering out Sequential Redundancy for Efficient Language Processing",
        authors: &["Zihang Dai", "Guokun Lai", "Yiming Yang", "Quoc V. Le"],
        venue: ("neurips", "NeurIPS", VenueKind::Conference),
        year: 2020,
        published: (2020, 6, 5),
        categories: &["cs.LG", "cs.CL", "stat.ML"],
        abstract_text: "With the success of language pretraining, it is highly desirable to develop more efficient architectures of good scalability that can exploit the abundant unlabeled data at a lower cost. To improve the efficiency, we examine the much-overlooked redundancy in maintaining a full-length token-level presentation, especially for tasks that only require a single-vector presentation of the sequence. With this intuition, we propose Funnel-Transformer which gradually compresses the sequence of hidden states to a shorter one and hence reduces the computation cost. More importantly, by re-investing the saved FLOPs from length reduction in constructing a deeper or wider model, we further improve the model capacity. In addition, to perform token-level predictions as required by common pretraining objectives, Funnel-Transformer is able to recover a deep representation for each token from the reduced hidden sequence via a decoder. Empirically, with comparable or fewer FLOPs, Funnel-Transformer outperforms the standard Transformer on a wide variety of sequence-level prediction tasks, including text classification, language understanding, and reading comprehension.",
        summaries: &[("tomasz", FUNNEL_TOMASZ, 14)],
    },
    DemoPaper {
        arxiv_id: "2103.03206",
        title: "Perceiver: General Perception with Iterative Attention",
        authors: &[
            "Andrew Jaegle",
            "Felix Gimeno",
            "Andrew Brock",
            "Andrew Zisserman",
            "Oriol Vinyals",
            "Joao Carreira",
        ],
        venue: ("icml", "ICML", VenueKind::Conference),
        year: 2021,
        published: (2021, 3, 4),
        categories: &["cs.CV", "cs.AI", "cs.LG", "cs.SD", "eess.AS"],
        abstract_text: "Biological systems perceive the world by simultaneously processing high-dimensional inputs from modalities as diverse as vision, audition, touch, proprioception, etc. The perception models used in deep learning on the other hand are designed for individual modalities, often relying on domain-specific assumptions such as the local grid structures exploited by virtually all existing vision models. These priors introduce helpful inductive biases, but also lock models to individual modalities. In this paper we introduce the Perceiver - a model that builds upon Transformers and hence makes few architectural assumptions about the relationship between its inputs, but that also scales to hundreds of thousands of inputs, like ConvNets. The model leverages an asymmetric attention mechanism to iteratively distill inputs into a tight latent bottleneck, allowing it to scale to handle very large inputs. We show that this architecture is competitive with or outperforms strong, specialized models on classification tasks across various modalities: images, point clouds, audio, video, and video+audio. The Perceiver obtains performance comparable to ResNet-50 and ViT on ImageNet without 2D convolutions by directly attending to 50,000 pixels. It is also competitive in all modalities in AudioSet.",
        summaries: &[("leila", PERCEIVER_LEILA, 8)],
    },
    DemoPaper {
        arxiv_id: "2011.12948",
        title: "Nerfies: Deformable Neural Radiance Fields",
        authors: &[
            "Keunhong Park",
            "Utkarsh Sinha",
            "Jonathan T. Barron",
            "Sofien Bouaziz",
            "Dan B Goldman",
            "Steven M. Seitz",
            "Ricardo Martin-Brualla",
        ],
        venue: ("iccv", "ICCV", VenueKind::Conference),
        year: 2021,
        published: (2020, 11, 25),
        categories: &["cs.CV", "cs.GR"],
        abstract_text: "We present the first method capable of photorealistically reconstructing deformable scenes using photos/videos captured casually from mobile phones. Our approach augments neural radiance fields (NeRF) by optimizing an additional continuous volumetric deformation field that warps each observed point into a canonical 5D NeRF. We observe that these NeRF-like deformation fields are prone to local minima, and propose a coarse-to-fine optimization method for coordinate-based models that allows for more robust optimization. By adapting principles from geometry processing and physical simulation to NeRF-like models, we propose an elastic regularization of the deformation field that further improves robustness. We show that our method can turn casually captured selfie photos/videos into deformable NeRF models that allow for photorealistic renderings of the subject from arbitrary viewpoints, which we dub \"nerfies.\" We evaluate our method by collecting time-synchronized data using a rig with two mobile phones, yielding train/validation images of the same pose at different viewpoints. We show that our method faithfully reconstructs non-rigidly deforming scenes and reproduces unseen views with high fidelity.",
        summaries: &[("leila", NERFIES_LEILA, 3)],
    },
];

const NERF_MIRA: &str = r#"**NeRF** represents a scene as a continuous function $F_\Theta : (\mathbf{x}, \mathbf{d}) \mapsto (\mathbf{c}, \sigma)$ from a 3D position and a viewing direction to a colour and a volume density, parametrised by a plain MLP. A pixel's colour comes from classic volume rendering along its camera ray $\mathbf{r}(t) = \mathbf{o} + t\mathbf{d}$:

$$C(\mathbf{r}) = \int_{t_n}^{t_f} T(t)\,\sigma(\mathbf{r}(t))\,\mathbf{c}(\mathbf{r}(t), \mathbf{d})\,dt, \qquad T(t) = \exp\left(-\int_{t_n}^{t} \sigma(\mathbf{r}(s))\,ds\right)$$

Because this is differentiable, the MLP is fitted to a set of posed photos with nothing but a photometric loss. Two ingredients make it work:

1. **Positional encoding** $\gamma(p) = \left(\sin(2^0 \pi p), \cos(2^0 \pi p), \dots, \sin(2^{L-1} \pi p), \cos(2^{L-1} \pi p)\right)$ lets the network represent high-frequency detail that a raw-coordinate MLP smooths away.
2. **Hierarchical sampling**: a coarse network decides where along the ray the density is, and a fine network is evaluated there.

| Method | PSNR on Realistic Synthetic 360° |
|---|---|
| LLFF | 24.88 |
| NeRF | 31.01 |

The catch: one network per scene, hours of training and seconds per frame to render.
"#;

const ELECTRA_MIRA: &str = r#"**ELECTRA** swaps BERT's masked-language-modelling objective for *replaced token detection*. A small generator $G$ (itself a masked LM) fills about 15% of positions with plausible tokens, and the discriminator $D$, the model you keep, predicts for **every** token whether it is original or replaced.

Because the loss covers all $n$ positions instead of only the masked ones, every example carries far more training signal. The two networks are trained jointly:

$$\min_{\theta_G, \theta_D} \sum_{x \in \mathcal{X}} \mathcal{L}_{\text{MLM}}(x, \theta_G) + \lambda\, \mathcal{L}_{\text{Disc}}(x, \theta_D), \qquad \lambda = 50$$

It looks like a GAN but is not one: sampling from $G$ is not differentiable, so the generator is trained by maximum likelihood, not adversarially.

Takeaways:

- ELECTRA-Small, trained on one GPU for 4 days, beats GPT on GLUE.
- ELECTRA-Large matches RoBERTa and XLNet with less than 1/4 of their compute.
- Generators work best at 1/4 to 1/2 the size of the discriminator; a too-strong generator makes the task too hard.
"#;

const ELECTRA_TOMASZ: &str = r#"A useful way to see it: masked LM wastes about 85% of each sequence, because only the masked tokens get a loss. ELECTRA's discriminator gets a binary loss at every position $t$,

$$\ell_t = -\mathbb{1}(x^{\text{corrupt}}_t = x_t) \log D(x^{\text{corrupt}}, t) - \mathbb{1}(x^{\text{corrupt}}_t \neq x_t) \log\left(1 - D(x^{\text{corrupt}}, t)\right)$$

so the same compute sees more signal. The *ELECTRA 15%* ablation, with the discriminator loss only on the masked positions, lands close to BERT, which says most of the gain comes from learning from all tokens, not from the discriminative task itself.
"#;

const FUNNEL_TOMASZ: &str = r#"Funnel-Transformer shortens the sequence of hidden states as it goes deeper, like pooling in a CNN. After each block, strided mean pooling halves the length, $T \to T/2$, and the saved FLOPs are re-invested in a deeper or wider model.

To keep the attention sharp, only the *query* of the first layer in a block is pooled; keys and values still see the unpooled sequence ("pool-query-only").

For token-level outputs, which pre-training with MLM or ELECTRA needs, a small decoder up-samples the compressed states back to full length and adds the first block's output as a residual. With comparable or fewer FLOPs it beats the standard Transformer on GLUE, text classification and reading comprehension.
"#;

const PERCEIVER_LEILA: &str = r#"The **Perceiver** reads images, audio, point clouds and video with one architecture and almost no modality-specific assumptions.

Self-attention over $M$ inputs costs $O(M^2)$, hopeless for the 50,176 pixels of a $224 \times 224$ image. Instead, a small learned latent array of $N \ll M$ vectors *cross-attends* to the input, costing $O(MN)$, and a deep stack of latent self-attention blocks then costs $O(LN^2)$, independent of the input size.

- Position is given by Fourier features of the input coordinates, not by convolutions.
- Cross-attention can be repeated with shared weights, which makes the model look like an RNN unrolled in depth.
- On ImageNet it comes close to ResNet-50 and ViT without any 2D convolution.
"#;

const NERFIES_LEILA: &str = r#"NeRF assumes a static scene; a selfie video taken by waving a phone is anything but. **Nerfies** adds a per-observation *deformation field* $T_i : \mathbf{x} \mapsto \mathbf{x}'$ that warps points of each frame into one shared canonical NeRF.

The deformation is an MLP conditioned on a learned latent code $\omega_i$ per frame, and it predicts a dense $\mathrm{SE}(3)$ field (a rotation and a translation per point) rather than a plain translation, so the rigid motion of a head stays simple to express.

Under-constrained deformations are tamed by

1. an **elastic regulariser** that pushes the singular values of the deformation's Jacobian towards 1,
2. a background regulariser on points known to be static, and
3. **coarse-to-fine** annealing of the positional-encoding frequencies.

The result is photorealistic free-viewpoint renders of people from casually captured phone videos.
"#;

/// What `seed_demo` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub papers_added: usize,
}

/// Loads the demo data set. Papers already present (by arXiv id) are skipped.
pub fn seed_demo(conn: &mut DbConn) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport::default();
    let now = models::now();
    let total = PAPERS.len() as i64;
    for (index, paper) in PAPERS.iter().enumerate() {
        // Papers were "added" an hour apart, oldest first, so ids follow time.
        let added_at = now - Duration::hours(48 + total - index as i64);
        let added = write_transaction(conn, |conn| seed_paper(conn, paper, added_at, now))?;
        if added {
            report.papers_added += 1;
        }
    }
    Ok(report)
}

fn seed_paper(
    conn: &mut DbConn,
    paper: &DemoPaper,
    added_at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let reference = shortscience_types::PaperRef::Arxiv(
        shortscience_types::ArxivId::parse(paper.arxiv_id)
            .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?,
    );
    if papers::find(conn, &reference)?.is_some() {
        return Ok(false);
    }
    let (slug, name, kind) = paper.venue;
    let venue = venues::find_or_create(
        conn,
        &venues::NewVenue {
            slug,
            name,
            kind,
            created_at: added_at,
        },
    )?;
    let (y, m, d) = paper.published;
    let paper_id = papers::insert(
        conn,
        &papers::NewPaper {
            title: paper.title,
            abstract_text: Some(paper.abstract_text),
            year: Some(paper.year),
            published_on: NaiveDate::from_ymd_opt(y, m, d),
            venue_id: Some(venue.id),
            arxiv_id: Some(paper.arxiv_id),
            doi: None,
            url: None,
            pdf_url: None,
            source: "demo",
            created_by: None,
            created_at: added_at,
            updated_at: added_at,
        },
    )?;
    papers::set_authors(conn, paper_id, paper.authors)?;
    let keywords: Vec<(&str, &str)> = paper.categories.iter().map(|c| (*c, "arxiv")).collect();
    keywords::set_keywords(conn, paper_id, &keywords)?;

    for (username, markdown, hours_ago) in paper.summaries {
        let author_id = demo_user(conn, username)?;
        let created_at = now - Duration::hours(*hours_ago);
        let rendered = render_markdown(markdown);
        let summary_id = summaries::insert(
            conn,
            &summaries::NewSummary {
                paper_id,
                author_id,
                body_markdown: markdown,
                body_html: &rendered.html,
                excerpt: &rendered.excerpt,
                excerpt_html: &rendered.excerpt_html,
                anonymous: false,
                visibility: Visibility::Public,
                share_token: None,
                hot: ranking::hot(0, created_at),
                rank: ranking::wilson_lower_bound(0, 0),
                created_at,
                updated_at: created_at,
            },
        )?;
        summaries::insert_revision(conn, summary_id, author_id, markdown, created_at)?;
        let (mut ups, mut downs) = (0, 0);
        for (voter, arxiv_id, summary_author, value) in DEMO_VOTES {
            if *arxiv_id != paper.arxiv_id || summary_author != username {
                continue;
            }
            let voter_id = demo_user(conn, voter)?;
            summaries::insert_vote(conn, voter_id, summary_id, *value, created_at)?;
            if *value > 0 {
                ups += 1;
            } else {
                downs += 1;
            }
        }
        summaries::set_votes(
            conn,
            summary_id,
            ups,
            downs,
            ranking::hot(ups - downs, created_at),
            ranking::wilson_lower_bound(ups, downs),
        )?;
    }
    papers::refresh_summary_stats(conn, paper_id)?;
    Ok(true)
}

fn demo_user(conn: &mut DbConn, username: &str) -> QueryResult<UserId> {
    let display_name = DEMO_USERS
        .iter()
        .find(|(u, _)| *u == username)
        .map(|(_, name)| *name)
        .unwrap_or(username);
    users::find_or_create_without_password(
        conn,
        username,
        display_name,
        "A demo account that ships with ShortScience's sample data.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_arxiv_ids_and_categories_are_well_formed() {
        for paper in PAPERS {
            assert!(
                shortscience_types::ArxivId::parse(paper.arxiv_id).is_ok(),
                "{}",
                paper.arxiv_id
            );
            assert!(!paper.categories.is_empty() && !paper.authors.is_empty());
            assert!(NaiveDate::from_ymd_opt(
                paper.published.0,
                paper.published.1,
                paper.published.2
            )
            .is_some());
        }
    }

    #[test]
    fn demo_summaries_render_their_math() {
        for paper in PAPERS {
            for (_, markdown, _) in paper.summaries {
                let html = render_markdown(markdown).html;
                assert!(html.contains("<math"), "{}: {html}", paper.arxiv_id);
                assert!(
                    !html.contains("math-error"),
                    "{}: a formula failed: {html}",
                    paper.arxiv_id
                );
            }
        }
    }

    #[test]
    fn every_demo_vote_targets_a_demo_summary_by_someone_else() {
        for (voter, arxiv_id, author, _) in DEMO_VOTES {
            assert_ne!(voter, author);
            let paper = PAPERS.iter().find(|p| p.arxiv_id == *arxiv_id);
            assert!(paper.is_some_and(|p| p.summaries.iter().any(|(u, _, _)| u == author)));
        }
    }
}
