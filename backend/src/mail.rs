//! Outgoing mail. Every message is recorded in the `outbox` table; with SMTP
//! configured it is also sent, in the background so that the answer to the
//! request neither waits for the mail server nor reveals by its timing
//! whether an account exists.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use shared::users::Language;

use crate::config::Config;
use crate::db::models::{now, NewOutboxMail};
use crate::db::{self, schema::outbox, DbConnection, Pool};
use crate::error::ApiResult;

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// Development without SMTP: print the mail (with its link) to the log.
    log_bodies: bool,
}

pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn new(config: &Config) -> anyhow::Result<Mailer> {
        let smtp = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("WIJKVEILIG_SMTP_URL is not usable: {e}"))?
                    .build(),
            ),
            None => None,
        };
        let from = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("WIJKVEILIG_MAIL_FROM is not a mailbox: {e}"))?;
        Ok(Mailer {
            log_bodies: smtp.is_none() && !config.is_production(),
            smtp,
            from,
        })
    }

    /// True when mail leaves the building (SMTP configured), not only the outbox.
    pub fn delivers(&self) -> bool {
        self.smtp.is_some()
    }

    /// Records `mail` in the outbox and sends it.
    pub async fn send(&self, pool: &Pool, mail: Mail) -> ApiResult<()> {
        let mailer = self.clone();
        let outgoing = db::run_write(pool, move |conn| mailer.record(conn, mail)).await?;
        self.dispatch(pool, outgoing);
        Ok(())
    }

    /// Records `mail` in the outbox on `conn`, inside the caller's
    /// transaction, so that a mail and what it is about are stored together
    /// or not at all, in one trip to the database. Once that is committed,
    /// [`Mailer::dispatch`] sends it.
    pub fn record(&self, conn: &mut DbConnection, mail: Mail) -> ApiResult<Outgoing> {
        use diesel::prelude::*;
        let status = if self.smtp.is_some() {
            "queued"
        } else {
            "logged"
        };
        let id: i32 = diesel::insert_into(outbox::table)
            .values(NewOutboxMail {
                recipient: &mail.to,
                subject: &mail.subject,
                body: &mail.body,
                status,
                created_at: now(),
            })
            .returning(outbox::id)
            .get_result(conn)?;
        Ok(Outgoing { id, mail })
    }

    /// Logs a recorded mail and, with SMTP configured, sends it in the
    /// background and records how that went.
    pub fn dispatch(&self, pool: &Pool, outgoing: Outgoing) {
        use diesel::prelude::*;
        let Outgoing { id, mail } = outgoing;
        if self.log_bodies {
            tracing::info!(outbox_id = id, to = %mail.to, subject = %mail.subject, body = %mail.body, "mail (no SMTP configured)");
        } else {
            tracing::info!(outbox_id = id, "mail queued");
        }
        let Some(smtp) = self.smtp.clone() else {
            return;
        };
        let message = match mail.to.parse() {
            Ok(to) => Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(mail.subject)
                .body(mail.body)
                .map_err(|e| e.to_string()),
            Err(e) => Err(format!("bad recipient: {e}")),
        };
        let pool = pool.clone();
        actix_web::rt::spawn(async move {
            let result = match message {
                Ok(message) => smtp.send(message).await.map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let status = if result.is_ok() { "sent" } else { "failed" };
            if let Err(e) = &result {
                tracing::warn!(outbox_id = id, error = %e, "mail not sent");
            }
            let _ = db::run_write(&pool, move |conn| {
                Ok(diesel::update(outbox::table.find(id))
                    .set((outbox::status.eq(status), outbox::sent_at.eq(now())))
                    .execute(conn)?)
            })
            .await;
        });
    }
}

/// A mail recorded in the outbox, to be dispatched once its transaction
/// is committed.
pub struct Outgoing {
    id: i32,
    mail: Mail,
}

pub fn verify_email(lang: Language, link: &str) -> (String, String) {
    match lang {
        Language::Nl => (
            "Bevestig je e-mailadres voor Wijkveilig".into(),
            format!("Hallo,\n\nBevestig je e-mailadres via deze link (48 uur geldig):\n{link}\n\nHeb je geen account aangemaakt? Dan kun je deze mail negeren.\n\nWijkveilig"),
        ),
        Language::En => (
            "Confirm your email address for Wijkveilig".into(),
            format!("Hello,\n\nConfirm your email address with this link (valid for 48 hours):\n{link}\n\nDid not sign up? Then ignore this mail.\n\nWijkveilig"),
        ),
    }
}

pub fn verify_student(lang: Language, link: &str) -> (String, String) {
    match lang {
        Language::Nl => (
            "Bevestig je studentadres voor Wijkveilig".into(),
            format!("Hallo,\n\nBevestig dat je student bent via deze link (48 uur geldig):\n{link}\n\nWe bewaren alleen het domein van dit adres, niet het adres zelf.\n\nWijkveilig"),
        ),
        Language::En => (
            "Confirm your student address for Wijkveilig".into(),
            format!("Hello,\n\nConfirm that you are a student with this link (valid for 48 hours):\n{link}\n\nWe keep only the domain of this address, not the address itself.\n\nWijkveilig"),
        ),
    }
}

pub fn reset_password(lang: Language, link: &str) -> (String, String) {
    match lang {
        Language::Nl => (
            "Nieuw wachtwoord voor Wijkveilig".into(),
            format!("Hallo,\n\nKies een nieuw wachtwoord via deze link (1 uur geldig, één keer te gebruiken):\n{link}\n\nHeb je dit niet gevraagd? Dan kun je deze mail negeren; je wachtwoord blijft hetzelfde.\n\nWijkveilig"),
        ),
        Language::En => (
            "New password for Wijkveilig".into(),
            format!("Hello,\n\nChoose a new password with this link (valid for 1 hour, single use):\n{link}\n\nDid not ask for this? Then ignore this mail; your password stays the same.\n\nWijkveilig"),
        ),
    }
}

pub fn status_changed(
    lang: Language,
    reference: &str,
    status: &str,
    note: Option<&str>,
    public_url: &str,
    report_id: i32,
) -> (String, String) {
    let link = format!("{public_url}/reports/{report_id}");
    let note = note.map(|n| format!("\n\n{n}")).unwrap_or_default();
    match lang {
        Language::Nl => (
            format!("Je melding {reference} is bijgewerkt"),
            format!("Hallo,\n\nDe status van je melding {reference} is nu: {status}.{note}\n\nBekijk je melding: {link}\n\nWijkveilig"),
        ),
        Language::En => (
            format!("Your report {reference} was updated"),
            format!("Hello,\n\nYour report {reference} is now: {status}.{note}\n\nSee your report: {link}\n\nWijkveilig"),
        ),
    }
}

pub fn inactive_warning(lang: Language, public_url: &str) -> (String, String) {
    match lang {
        Language::Nl => (
            "Je Wijkveilig-account wordt binnenkort verwijderd".into(),
            format!("Hallo,\n\nJe hebt al twee jaar niet ingelogd bij Wijkveilig. Over 30 dagen verwijderen we je account; je meldingen blijven zonder je naam bewaard voor de statistiek.\n\nWil je je account houden? Log dan in: {public_url}/login\n\nWijkveilig"),
        ),
        Language::En => (
            "Your Wijkveilig account will be deleted soon".into(),
            format!("Hello,\n\nYou have not logged in to Wijkveilig for two years. In 30 days we delete your account; your reports stay without your name for statistics.\n\nWant to keep your account? Log in: {public_url}/login\n\nWijkveilig"),
        ),
    }
}
