//! E-mail digests: each opted-in user's unread notifications since their last digest, in one
//! mail (plain text with an HTML alternative), at most once a day or a week, and never when
//! there is nothing new. Off unless SMTP is configured.
//!
//! Several server processes (and `shortscience send-digests` from cron) may share a database:
//! each digest is claimed with a compare-and-set on the user's `digest_notification_id`, a
//! single UPDATE, before the mail goes out, so exactly one process sends it. No transaction is
//! held open across the SMTP conversation; a mail that cannot be sent gives its claim back and
//! is tried again by a later pass.

use std::fmt;

use anyhow::Context as _;
use chrono::{Duration, NaiveDateTime};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use shortscience_types::{EmailDigest, Notification};

use crate::config::MailArgs;
use crate::db::models::digests::{self, DigestUser};
use crate::db::{write_transaction, Db, DbError};
use crate::domain::notifications::{entry_title, views};
use crate::domain::render::escape_html;
use crate::domain::Viewer;

/// Notifications listed in one mail (the subject counts them all; the rest are a link away).
pub const MAX_LISTED: i64 = 50;

/// Users whose digests one pass looks at; the rest wait for the next pass.
pub const BATCH: i64 = 1000;

/// A digest is due a little before a whole period has passed, so that a pass every few minutes
/// does not push each day's digest later by up to one interval.
const EARLY: Duration = Duration::minutes(15);

/// Sends mail through the configured SMTP server. Its `Debug` shows no credentials.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The site's public address, for links (no trailing slash).
    base_url: String,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer the configuration asks for: `None` when no SMTP server is configured (e-mail
    /// is off), an error when one is but the sender or the public URL is missing or invalid.
    pub fn from_config(mail: &MailArgs, public_url: Option<&str>) -> anyhow::Result<Option<Self>> {
        let Some(url) = &mail.smtp_url else {
            return Ok(None);
        };
        let from = mail
            .mail_from
            .as_deref()
            .context("SHORTSCIENCE_MAIL_FROM (--mail-from) is required with SHORTSCIENCE_SMTP_URL")?
            .parse::<Mailbox>()
            .context("SHORTSCIENCE_MAIL_FROM must be an address, e.g. `ShortScience <digests@example.org>`")?;
        let base_url = public_url
            .context("SHORTSCIENCE_PUBLIC_URL (--public-url) is required with SHORTSCIENCE_SMTP_URL: e-mails link to the site")?
            .trim_end_matches('/')
            .to_owned();
        // lettre's errors never repeat the URL; ours shows it without its password.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .with_context(|| format!("SHORTSCIENCE_SMTP_URL `{url}` is not usable"))?
            .build();
        Ok(Some(Self {
            transport,
            from,
            base_url,
        }))
    }
}

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Digests this process claimed and sent.
    pub sent: usize,
    /// Digests claimed by another process first (or no longer wanted).
    pub taken: usize,
    /// Digests that could not be sent (their claim was given back).
    pub failed: usize,
}

/// One pass: sends every digest that is due at `now`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn send_due(db: &Db, mailer: &Mailer, now: NaiveDateTime) -> anyhow::Result<Report> {
    let due = db
        .run(move |conn| -> Result<_, DbError> {
            Ok(digests::due(
                conn,
                now - Duration::days(1) + EARLY,
                now - Duration::days(7) + EARLY,
                BATCH,
            )?)
        })
        .await
        .context("finding the e-mail digests that are due")?;
    let mut report = Report::default();
    for user in due {
        let id = user.id;
        match send_one(db, mailer, user, now).await {
            Ok(Outcome::Sent) => report.sent += 1,
            Ok(Outcome::Taken) => report.taken += 1,
            Err(error) => {
                report.failed += 1;
                // The cause chain names the SMTP server's answer, never its credentials, and no
                // address is logged: the user's id says whose digest it was.
                tracing::warn!(user.id = %id, error = %format!("{error:#}"), "e-mail digest not sent; it will be tried again");
            }
        }
    }
    if report != Report::default() {
        tracing::info!(
            digests.sent = report.sent,
            digests.taken = report.taken,
            digests.failed = report.failed,
            "e-mail digest pass"
        );
    }
    Ok(report)
}

enum Outcome {
    Sent,
    Taken,
}

/// A claimed digest: what to send, and how to give the claim back.
struct Claimed {
    notifications: Vec<Notification>,
    total: i64,
    claimed: i64,
}

async fn send_one(
    db: &Db,
    mailer: &Mailer,
    user: DigestUser,
    now: NaiveDateTime,
) -> anyhow::Result<Outcome> {
    let to = user
        .email
        .as_deref()
        .unwrap_or_default()
        .parse::<Mailbox>()
        .context("the account's e-mail address is not one SMTP can send to")?;
    let (id, from, sent_at) = (user.id, user.told_up_to, user.sent_at);
    let viewer = Viewer::user(user.id, user.role);
    // Read what to tell and claim it in one short database visit; the mail goes out after.
    let claimed = db
        .run(move |conn| -> Result<Option<Claimed>, anyhow::Error> {
            let Some(newest) = digests::newest_unread_after(conn, id, from)? else {
                return Ok(None);
            };
            let (rows, total) = digests::unread_after(conn, id, from, MAX_LISTED)?;
            let notifications = views(conn, rows, &viewer).map_err(anyhow::Error::new)?;
            let won = write_transaction(conn, |conn| digests::claim(conn, id, from, newest, now))?;
            Ok(won.then_some(Claimed {
                notifications,
                total,
                claimed: newest,
            }))
        })
        .await?;
    let Some(claimed) = claimed else {
        return Ok(Outcome::Taken);
    };
    let message = compose(mailer, to, &user.username, user.email_digest, &claimed)?;
    if let Err(error) = mailer.transport.send(message).await {
        let released = db
            .run(move |conn| -> Result<bool, DbError> {
                Ok(write_transaction(conn, |conn| {
                    digests::release(conn, id, claimed.claimed, from, sent_at)
                })?)
            })
            .await;
        if let Err(release_error) = released {
            tracing::warn!(user.id = %id, error = %format!("{release_error:#}"), "could not give back an e-mail digest's claim; its notifications are skipped");
        }
        return Err(anyhow::Error::new(error).context("the SMTP server did not take the mail"));
    }
    tracing::debug!(user.id = %id, notifications = claimed.total, "e-mail digest sent");
    Ok(Outcome::Sent)
}

/// `ShortScience: 3 new notifications`.
pub fn subject(total: i64) -> String {
    if total == 1 {
        "ShortScience: 1 new notification".to_owned()
    } else {
        format!("ShortScience: {total} new notifications")
    }
}

fn compose(
    mailer: &Mailer,
    to: Mailbox,
    username: &str,
    frequency: EmailDigest,
    digest: &Claimed,
) -> anyhow::Result<Message> {
    let base = &mailer.base_url;
    let (text, html) = bodies(base, username, frequency, digest);
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(subject(digest.total))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .context("composing the digest")
}

/// The plain-text and HTML bodies: one line per notification (as the notifications page and the
/// private feed word it, so an anonymous author is never named), each with its link.
fn bodies(
    base: &str,
    username: &str,
    frequency: EmailDigest,
    digest: &Claimed,
) -> (String, String) {
    let esc = escape_html;
    let mut text =
        format!("Hello {username},\n\nWhat happened on ShortScience that concerns you:\n\n");
    let mut html = format!(
        "<p>Hello {},</p>\n<p>What happened on ShortScience that concerns you:</p>\n<ul>\n",
        esc(username)
    );
    for n in &digest.notifications {
        let title = entry_title(n);
        let link = format!("{base}{}", n.subject.link);
        text.push_str(&format!("- {title}\n  {link}\n"));
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            esc(&link),
            esc(&title)
        ));
        if let Some(reason) = &n.reason {
            text.push_str(&format!("  Reason: {reason}\n"));
            html.push_str(&format!("<br>Reason: {}", esc(reason)));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    let more = digest.total - digest.notifications.len() as i64;
    if more > 0 {
        text.push_str(&format!("\n… and {more} more.\n"));
        html.push_str(&format!("<p>… and {more} more.</p>\n"));
    }
    let all = format!("{base}/notifications");
    let settings = format!("{base}/settings");
    let every = match frequency {
        EmailDigest::Weekly => "weekly",
        _ => "daily",
    };
    text.push_str(&format!(
        "\nAll your notifications: {all}\n\nYou get this {every} digest because you asked for it. Change or stop it in your settings: {settings}\n"
    ));
    html.push_str(&format!(
        "<p><a href=\"{}\">All your notifications</a></p>\n<p>You get this {every} digest because you asked for it. <a href=\"{}\">Change or stop it in your settings</a>.</p>\n",
        esc(&all),
        esc(&settings)
    ));
    (text, html)
}
