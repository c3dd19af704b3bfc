//! E-mail digests, sent to a real SMTP server on 127.0.0.1 (a minimal sink in the test process
//! that keeps what it is given): who gets one, what it says, that it goes out once even when passes run
//! together, that a refused mail is tried again, and that without SMTP nothing is sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailparse::MailHeaderMap as _;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_server::config::{DatabaseUrl, MailArgs, SmtpUrl};
use shortscience_server::db::{self, Db};
use shortscience_server::domain::digests::{self, Mailer, Report};
use shortscience_types::{EmailDigest, Me, NotificationFeedStatus};

use crate::accounts::Account;
use crate::helpers::*;
use crate::summaries::{paper, summary, write};

const SITE: &str = "https://shortscience.example";

/// One mail as the sink received it.
#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: Vec<u8>,
}

impl Mail {
    fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).expect("a MIME message")
    }

    fn subject(&self) -> String {
        self.parsed()
            .get_headers()
            .get_first_value("Subject")
            .unwrap_or_default()
    }

    /// The decoded body of the part of this content type, with `\n` line ends.
    fn part(&self, mime: &str) -> String {
        let parsed = self.parsed();
        let part = parsed
            .parts()
            .find(|p| p.ctype.mimetype == mime)
            .unwrap_or_else(|| panic!("no {mime} part"));
        part.get_body()
            .expect("a decodable body")
            .replace("\r\n", "\n")
    }
}

/// An SMTP server on 127.0.0.1 that keeps every mail, or refuses them while `refuse` is set. It
/// speaks just enough SMTP for a client (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), one
/// thread per connection. (mailin-embedded needs a TLS backend, and its rustls brings aws-lc-rs
/// where the workspace uses ring.)
#[derive(Clone, Default)]
struct Sink {
    mails: Arc<Mutex<Vec<Mail>>>,
    refuse: Arc<AtomicBool>,
}

impl Sink {
    /// Starts the sink on a free port; it serves until the test process ends.
    fn start() -> (Sink, MailArgs) {
        let sink = Sink::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let serving = sink.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let sink = serving.clone();
                std::thread::spawn(move || {
                    let _ = sink.converse(stream);
                });
            }
        });
        let mail = MailArgs {
            smtp_url: Some(SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}")).unwrap()),
            mail_from: Some("ShortScience <digests@shortscience.example>".to_owned()),
        };
        (sink, mail)
    }

    fn converse(&self, stream: std::net::TcpStream) -> std::io::Result<()> {
        use std::io::{BufRead as _, BufReader, Write as _};
        let mut out = stream.try_clone()?;
        let mut lines = BufReader::new(stream);
        let mut to = Vec::new();
        out.write_all(b"220 sink.test ESMTP\r\n")?;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") {
                b"250-sink.test\r\n250 8BITMIME\r\n"
            } else if command.starts_with("HELO") || command.starts_with("NOOP") {
                b"250 OK\r\n"
            } else if command.starts_with("MAIL FROM:") || command.starts_with("RSET") {
                to.clear();
                b"250 OK\r\n"
            } else if command.starts_with("RCPT TO:") {
                let address = line.trim_end()["RCPT TO:".len()..].trim();
                to.push(
                    address
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_owned(),
                );
                b"250 OK\r\n"
            } else if command == "DATA" {
                out.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = Vec::new();
                loop {
                    let mut line = Vec::new();
                    if lines.read_until(b'\n', &mut line)? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" {
                        break;
                    }
                    // Dot-stuffing: a line the client began with a dot has one more.
                    let line = line.strip_prefix(b".").unwrap_or(&line);
                    data.extend_from_slice(line);
                }
                if self.refuse.load(Ordering::SeqCst) {
                    b"554 Transaction failed\r\n"
                } else {
                    let to = std::mem::take(&mut to);
                    self.mails.lock().unwrap().push(Mail { to, data });
                    b"250 OK\r\n"
                }
            } else if command.starts_with("QUIT") {
                out.write_all(b"221 Bye\r\n")?;
                return Ok(());
            } else {
                b"502 Command not implemented\r\n"
            };
            out.write_all(reply)?;
        }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    fn to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }
}

fn mailer(mail: &MailArgs) -> Mailer {
    Mailer::from_config(mail, Some(SITE))
        .unwrap()
        .expect("SMTP is configured")
}

async fn choose(app: &TestApp, account: &Account, digest: &str) -> Me {
    let response = app
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(&json!({"email_digest": digest})),
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn follow_paper(app: &TestApp, account: &Account, paper: i64) {
    let response = app
        .send(
            Method::PUT,
            &format!("/api/v1/me/follows/paper/{paper}"),
            None,
            Some(&account.access),
        )
        .await;
    assert!(response.status().is_success());
}

async fn comment(app: &TestApp, account: &Account, summary: i64, parent: Option<i64>) -> i64 {
    let response = app
        .post_json(
            &format!("/api/v1/summaries/{summary}/comments"),
            &json!({"body_markdown": "A question.", "parent_id": parent}),
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    created["id"].as_i64().unwrap()
}

fn now() -> chrono::NaiveDateTime {
    db::models::now()
}

backend_test! {
    async fn opted_in_readers_get_one_digest_of_what_is_new_and_anonymous_authors_stay_unnamed(app) {
        let (sink, mail) = Sink::start();
        let mailer = mailer(&mail);
        let writer = app.register("writer").await;
        let fan = app.register("fan").await;
        let lurker = app.register("lurker").await;
        let hidden = app.register("hiddenhelen").await;
        let paper = paper(&app, &writer, "Digest Paper").await;
        follow_paper(&app, &fan, paper).await;
        follow_paper(&app, &lurker, paper).await;

        // Off by default; the choice shows in GET /me.
        let me: Me = app.get_json_as("/api/v1/me", &fan.access).await;
        assert_eq!(me.email_digest, EmailDigest::Off);
        assert_eq!(choose(&app, &fan, "daily").await.email_digest, EmailDigest::Daily);
        let me: Me = app.get_json_as("/api/v1/me", &fan.access).await;
        assert_eq!(me.email_digest, EmailDigest::Daily);

        // Nothing new, nothing sent.
        assert_eq!(digests::send_due(&app.db, &mailer, now()).await.unwrap(), Report::default());
        assert!(sink.mails().is_empty());

        let signed = summary(&app, &writer, paper, "A signed summary.").await;
        let response = write(&app, &hidden, paper, json!({"body_markdown": "An anonymous one.", "anonymous": true})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let anonymous = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        // The anonymous author answers the fan's question: "the summary's author", never a name.
        let question = comment(&app, &fan, anonymous, None).await;
        comment(&app, &hidden, anonymous, Some(question)).await;

        let report = digests::send_due(&app.db, &mailer, now()).await.unwrap();
        assert_eq!(report, Report { sent: 1, ..Report::default() });
        let mails = sink.mails();
        assert_eq!(mails.len(), 1, "only the fan opted in");
        let digest = &mails[0];
        assert_eq!(digest.to, vec!["fan@example.org".to_owned()]);
        assert_eq!(digest.subject(), "ShortScience: 3 new notifications");
        let text = digest.part("text/plain");
        let html = digest.part("text/html");
        assert!(text.contains("A new summary of “Digest Paper”, a paper you follow"), "{text}");
        assert!(text.contains(&format!("{SITE}/summaries/{signed}\n")), "{text}");
        assert!(text.contains(&format!("{SITE}/summaries/{anonymous}\n")), "{text}");
        assert!(text.contains("The summary's author replied to your comment on “Digest Paper”"), "{text}");
        assert!(text.contains(&format!("{SITE}/summaries/{anonymous}#comment-")), "{text}");
        assert!(html.contains(&format!("<a href=\"{SITE}/summaries/{signed}\">")), "{html}");
        assert!(html.contains("The summary&#39;s author replied to your comment on “Digest Paper”</a>"), "{html}");
        let raw = String::from_utf8_lossy(&digest.data);
        for shown in [&text, &html, &raw.to_string()] {
            assert!(!shown.to_lowercase().contains("hiddenhelen"), "{shown}");
        }
        assert!(sink.to("lurker@example.org").is_empty(), "lurker did not opt in");

        // A second pass has nothing new to tell, now or days later.
        assert_eq!(digests::send_due(&app.db, &mailer, now()).await.unwrap().sent, 0);
        let later = now() + chrono::Duration::days(3);
        assert_eq!(digests::send_due(&app.db, &mailer, later).await.unwrap().sent, 0);
        assert_eq!(sink.mails().len(), 1);

        // Something new: not before a day has passed, then one mail with only the new one.
        summary(&app, &lurker, paper, "Another view.").await;
        assert_eq!(digests::send_due(&app.db, &mailer, now()).await.unwrap().sent, 0);
        assert_eq!(digests::send_due(&app.db, &mailer, later).await.unwrap().sent, 1);
        let mails = sink.to("fan@example.org");
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[1].subject(), "ShortScience: 1 new notification");

        // Read notifications are not mailed; opting out stops the digest.
        choose(&app, &fan, "off").await;
        let third = app.register("third").await;
        summary(&app, &third, paper, "Yet another.").await;
        let much_later = later + chrono::Duration::days(3);
        assert_eq!(digests::send_due(&app.db, &mailer, much_later).await.unwrap().sent, 0);
        choose(&app, &fan, "weekly").await;
        let response = app.post_json("/api/v1/me/notifications/read", &json!({"all": true}), Some(&fan.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(digests::send_due(&app.db, &mailer, much_later).await.unwrap().sent, 0);
        assert_eq!(sink.mails().len(), 2);
    }
}

backend_test! {
    async fn passes_running_together_send_each_digest_once(app) {
        let (sink, mail) = Sink::start();
        let writer = app.register("writer").await;
        let paper = paper(&app, &writer, "Popular Paper").await;
        let mut readers = Vec::new();
        for name in ["ada", "brian", "chloe", "dmitri"] {
            let reader = app.register(name).await;
            follow_paper(&app, &reader, paper).await;
            choose(&app, &reader, "daily").await;
            readers.push(reader);
        }
        summary(&app, &writer, paper, "News for everyone.").await;
        // Two processes: each its own pool, its own SMTP connection.
        let (first, second) = (Db::connect(&app.database_url).unwrap(), Db::connect(&app.database_url).unwrap());
        let (one, two) = (mailer(&mail), mailer(&mail));
        let at = now();
        let (a, b) = tokio::join!(
            digests::send_due(&first, &one, at),
            digests::send_due(&second, &two, at),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.sent + b.sent, readers.len(), "{a:?} {b:?}");
        assert_eq!(a.failed + b.failed, 0);
        assert_eq!(sink.mails().len(), readers.len());
        for reader in &readers {
            let theirs = sink.to(&format!("{}@example.org", reader.username));
            assert_eq!(theirs.len(), 1, "{}", reader.username);
            assert_eq!(theirs[0].subject(), "ShortScience: 1 new notification");
        }
    }
}

backend_test! {
    async fn a_digest_the_smtp_server_refuses_is_sent_by_the_next_pass(app) {
        let (sink, mail) = Sink::start();
        let mailer = mailer(&mail);
        let writer = app.register("writer").await;
        let fan = app.register("fan").await;
        let paper = paper(&app, &writer, "Flaky Mail").await;
        follow_paper(&app, &fan, paper).await;
        choose(&app, &fan, "weekly").await;
        summary(&app, &writer, paper, "Worth knowing.").await;
        sink.refuse.store(true, Ordering::SeqCst);
        let report = digests::send_due(&app.db, &mailer, now()).await.unwrap();
        assert_eq!(report, Report { failed: 1, ..Report::default() });
        assert!(sink.mails().is_empty());
        sink.refuse.store(false, Ordering::SeqCst);
        let report = digests::send_due(&app.db, &mailer, now()).await.unwrap();
        assert_eq!(report, Report { sent: 1, ..Report::default() });
        assert_eq!(sink.to("fan@example.org").len(), 1);
    }
}

backend_test! {
    async fn without_smtp_nothing_is_sent_but_the_choice_is_kept(app) {
        let fan = app.register("fan").await;
        let status: NotificationFeedStatus = app.get_json_as("/api/v1/me/notifications/feed", &fan.access).await;
        assert!(!status.email_digests_available);
        // Stored all the same, to take effect once e-mail is set up.
        assert_eq!(choose(&app, &fan, "weekly").await.email_digest, EmailDigest::Weekly);
        let me: Me = app.get_json_as("/api/v1/me", &fan.access).await;
        assert_eq!(me.email_digest, EmailDigest::Weekly);
        let response = app.send(Method::PATCH, "/api/v1/me", Some(&json!({"email_digest": "hourly"})), Some(&fan.access)).await;
        assert!(response.status().is_client_error(), "{}", response.status());
        assert_eq!(app.get_json_as::<Me>("/api/v1/me", &fan.access).await.email_digest, EmailDigest::Weekly);
        // No SMTP URL, no mailer: the server has nothing to send with.
        assert!(Mailer::from_config(&MailArgs::default(), Some(SITE)).unwrap().is_none());
    }
}

backend_test! {
    async fn the_server_sends_due_digests_on_its_own_when_smtp_is_configured(app) {
        let (sink, mail) = Sink::start();
        let app = app.sibling(Options { mail: Some(mail), ..Options::default() }).await;
        let writer = app.register("writer").await;
        let fan = app.register("fan").await;
        let status: NotificationFeedStatus = app.get_json_as("/api/v1/me/notifications/feed", &fan.access).await;
        assert!(status.email_digests_available);
        let paper = paper(&app, &writer, "Timely Paper").await;
        follow_paper(&app, &fan, paper).await;
        choose(&app, &fan, "daily").await;
        summary(&app, &writer, paper, "Fresh.").await;
        // The server looks every second (in tests).
        let mut waited = 0;
        while sink.mails().is_empty() && waited < 100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            waited += 1;
        }
        let mails = sink.to("fan@example.org");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].part("text/plain").contains(&format!("{SITE}/summaries/")));
    }
}

backend_test! {
    async fn send_digests_on_the_command_line_does_one_pass(app) {
        let (sink, mail) = Sink::start();
        let writer = app.register("writer").await;
        let fan = app.register("fan").await;
        let paper = paper(&app, &writer, "Cron Paper").await;
        follow_paper(&app, &fan, paper).await;
        choose(&app, &fan, "daily").await;
        summary(&app, &writer, paper, "For the cron job.").await;
        let database_url = match &app.database_url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        };
        let smtp = mail.smtp_url.unwrap().expose().to_owned();
        let run = move |smtp: Option<String>| {
            let database_url = database_url.clone();
            async move {
                tokio::task::spawn_blocking(move || {
                    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_shortscience"));
                    command
                        .arg("send-digests")
                        .env_clear()
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("DATABASE_URL", database_url)
                        .env("SHORTSCIENCE_MAIL_FROM", "digests@shortscience.example")
                        .env("SHORTSCIENCE_PUBLIC_URL", SITE)
                        .env("RUST_LOG", "warn");
                    if let Some(smtp) = smtp {
                        command.env("SHORTSCIENCE_SMTP_URL", smtp);
                    }
                    command.output().unwrap()
                })
                .await
                .unwrap()
            }
        };
        let unconfigured = run(None).await;
        assert!(!unconfigured.status.success());
        assert!(String::from_utf8_lossy(&unconfigured.stderr).contains("SHORTSCIENCE_SMTP_URL"));
        assert!(sink.mails().is_empty());
        let first = run(Some(smtp.clone())).await;
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert!(
            String::from_utf8_lossy(&first.stdout).contains("1 sent"),
            "stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&first.stdout),
            String::from_utf8_lossy(&first.stderr)
        );
        let second = run(Some(smtp)).await;
        assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
        assert!(
            String::from_utf8_lossy(&second.stdout).contains("0 sent"),
            "stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&second.stdout),
            String::from_utf8_lossy(&second.stderr)
        );
        assert_eq!(sink.to("fan@example.org").len(), 1);
    }
}

#[actix_web::test]
async fn a_half_configured_mailer_is_refused_without_showing_the_password() {
    let mail = MailArgs {
        smtp_url: Some(SmtpUrl::parse("smtps://me:s3cret@mail.example:465").unwrap()),
        mail_from: None,
    };
    let err = format!("{:#}", Mailer::from_config(&mail, Some(SITE)).unwrap_err());
    assert!(err.contains("SHORTSCIENCE_MAIL_FROM"), "{err}");
    let mail = MailArgs {
        mail_from: Some("digests@example.org".to_owned()),
        ..mail
    };
    let err = format!("{:#}", Mailer::from_config(&mail, None).unwrap_err());
    assert!(err.contains("SHORTSCIENCE_PUBLIC_URL"), "{err}");
    let mailer = Mailer::from_config(&mail, Some(SITE)).unwrap().unwrap();
    assert!(!format!("{mailer:?}").contains("s3cret"));
    let bad_from = MailArgs {
        mail_from: Some("not an address".to_owned()),
        ..mail
    };
    let err = format!(
        "{:#}",
        Mailer::from_config(&bad_from, Some(SITE)).unwrap_err()
    );
    assert!(!err.contains("s3cret"), "{err}");
}
