//! What the store speaks: the [`Store`] trait the endpoint and the
//! `applications` commands talk to, the applications it takes and returns, and
//! its error.

use crate::apply::spool::Spooled;
use serde::Serialize;
use std::path::Path;

/// An application as the endpoint hands it over, once it is valid.
#[derive(Debug)]
pub struct NewApplication {
    pub posting_slug: String,
    /// The posting's title when the candidate applied (titles change).
    pub posting_title: String,
    /// The language of the page the form was sent from (`site.toml`'s
    /// `language`, or one of `[languages]`), e.g. `de`.
    pub language: String,
    /// Every answer as submitted, by field name (`name`, `email`, `q_<id>`...).
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub files: Vec<NewFile>,
    /// Unix time in milliseconds.
    pub received_at: i64,
    /// Salted hash of the client address (see [`Store::client_hash`]).
    pub client_hash: String,
    /// The consent text the candidate was shown and agreed to.
    pub consent: String,
    pub user_agent: Option<String>,
    /// Messages about it (webhook notice, emails), queued in the outbox in the
    /// same transaction; the store adds the application's `id` to each payload.
    pub outbox: Vec<Notice>,
}

/// What an outbox message is, so the worker knows how to send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A JSON POST to `[apply] webhook`.
    Webhook,
    /// An email to the hiring team.
    TeamMail,
    /// A confirmation email to the candidate.
    CandidateMail,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Webhook => "webhook",
            NoticeKind::TeamMail => "team-mail",
            NoticeKind::CandidateMail => "candidate-mail",
        }
    }

    pub fn parse(text: &str) -> Option<NoticeKind> {
        [
            NoticeKind::Webhook,
            NoticeKind::TeamMail,
            NoticeKind::CandidateMail,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// One message to queue with a new application.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NoticeKind,
    pub payload: serde_json::Value,
}

#[derive(Debug)]
pub struct NewFile {
    /// The form field, e.g. `resume`.
    pub field: String,
    /// The file name the browser sent (never used as a path).
    pub name: String,
    /// What the content is, judged by its bytes: `pdf`, `doc`, `docx`, `odt`.
    pub kind: String,
    /// The upload, written to [`Store::spool_dir`] as it arrived.
    pub file: Spooled,
}

/// A stored application, without file contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Application {
    pub id: i64,
    pub posting_slug: String,
    pub posting_title: String,
    /// The language of the page it was sent from; empty when it was stored
    /// before openings recorded languages.
    pub language: String,
    pub received_at: i64,
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub files: Vec<FileInfo>,
    pub consent: String,
    pub client_hash: String,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileInfo {
    pub id: i64,
    pub field: String,
    pub name: String,
    pub kind: String,
    pub size: u64,
    /// BLAKE3 of the contents, hex.
    pub blake3: String,
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub posting: Option<String>,
    /// Received at or after this Unix time in milliseconds.
    pub since: Option<i64>,
    /// Received before this Unix time in milliseconds.
    pub before: Option<i64>,
}

/// A message waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub application_id: i64,
    pub kind: NoticeKind,
    pub payload: String,
    pub attempts: u32,
}

/// A message of the outbox as `applications outbox` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub application_id: i64,
    pub kind: NoticeKind,
    pub attempts: u32,
    /// When it is tried next (Unix ms); `None` once given up.
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("database error: {e}"))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError(format!("database error: {e}"))
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError(format!("the database cannot be reached: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Storage of applications. Small on purpose, so another backend (PostgreSQL for
/// several instances behind a load balancer) can be added without touching the
/// endpoint or the commands.
pub trait Store: Send + Sync {
    /// The private folder uploads are written to while they arrive; the store
    /// takes them over from there when their application is inserted.
    fn spool_dir(&self) -> &Path;
    /// Answers a query: the database is reachable and readable.
    fn health(&self) -> Result<()>;
    /// Stores an application durably; returns its id only once it is committed.
    fn insert(&self, application: NewApplication) -> Result<i64>;
    /// Applications matching `filter`, oldest first.
    fn list(&self, filter: &Filter) -> Result<Vec<Application>>;
    fn get(&self, id: i64) -> Result<Option<Application>>;
    /// The contents of one stored file.
    fn file_bytes(&self, file_id: i64) -> Result<Option<Vec<u8>>>;
    /// Deletes applications with their files and notices; returns how many were deleted.
    fn delete(&self, ids: &[i64]) -> Result<usize>;
    /// Hashes a client address with this store's secret salt, so repeat
    /// applicants can be recognised without keeping their address.
    fn client_hash(&self, address: &str) -> String;
    /// Notices due at `now` (Unix ms), oldest first.
    fn outbox_due(&self, now: i64, limit: usize) -> Result<Vec<OutboxItem>>;
    /// The earliest time a pending notice is due, if any.
    fn outbox_next(&self) -> Result<Option<i64>>;
    fn outbox_sent(&self, id: i64) -> Result<()>;
    /// Records a failed attempt and when to try again (`None`: give up).
    fn outbox_failed(&self, id: i64, retry_at: Option<i64>, error: &str) -> Result<()>;
    /// Every message not yet sent, pending or given up, oldest first.
    fn outbox_list(&self) -> Result<Vec<OutboxEntry>>;
    /// Makes every unsent message due at `now`, given-up ones too; how many.
    fn outbox_retry(&self, now: i64) -> Result<usize>;
}
