//! What every [`Store`] must do, tested with one body for SQLite and
//! PostgreSQL alike. What only one backend does is tested beside it.

use super::tests::{each_store, sample, webhook_notice};
use super::{Filter, NoticeKind};

#[test]
fn insert_then_read_back_everything() {
    for store in each_store() {
        let kind = store.kind;
        let mut app = sample(&*store, "engineer", 1_000);
        app.language = "de".into();
        app.answers
            .insert("q_langs".into(), serde_json::json!(["rust", "go"]));
        let id = store.insert(app).unwrap();
        let got = store.get(id).unwrap().unwrap();
        assert_eq!(got.posting_slug, "engineer", "{kind}");
        assert_eq!(got.posting_title, "Engineer", "{kind}");
        assert_eq!(got.language, "de", "{kind}");
        assert_eq!(got.received_at, 1_000, "{kind}");
        assert_eq!(got.answers["email"], "ada@example.com", "{kind}");
        assert_eq!(got.answers["q_langs"], serde_json::json!(["rust", "go"]));
        assert_eq!(got.consent, "I agree", "{kind}");
        assert_eq!(got.client_hash, "abc", "{kind}");
        assert_eq!(got.user_agent.as_deref(), Some("test"), "{kind}");
        assert_eq!(got.files.len(), 1, "{kind}");
        let file = &got.files[0];
        assert_eq!(
            (file.field.as_str(), file.name.as_str()),
            ("resume", "cv.pdf")
        );
        assert_eq!((file.kind.as_str(), file.size), ("pdf", 13), "{kind}");
        assert_eq!(
            file.blake3,
            blake3::hash(b"%PDF-1.4 test").to_hex().as_str()
        );
        assert_eq!(
            store.file_bytes(file.id).unwrap().unwrap(),
            b"%PDF-1.4 test",
            "{kind}"
        );
        assert_eq!(store.file_bytes(file.id + 100).unwrap(), None, "{kind}");
        assert_eq!(store.get(id + 1).unwrap(), None, "{kind}");
        assert_eq!(store.list(&Filter::default()).unwrap(), [got], "{kind}");
        store.health().unwrap();
    }
}

#[test]
fn list_filters_by_posting_and_time() {
    for store in each_store() {
        let kind = store.kind;
        store.insert(sample(&*store, "a", 100)).unwrap();
        store.insert(sample(&*store, "b", 200)).unwrap();
        store.insert(sample(&*store, "a", 300)).unwrap();
        let only_a = Filter {
            posting: Some("a".into()),
            ..Filter::default()
        };
        assert_eq!(store.list(&only_a).unwrap().len(), 2, "{kind}");
        let since = Filter {
            since: Some(200),
            ..Filter::default()
        };
        let times: Vec<i64> = store
            .list(&since)
            .unwrap()
            .iter()
            .map(|a| a.received_at)
            .collect();
        assert_eq!(times, [200, 300], "{kind}");
        let before = Filter {
            before: Some(200),
            ..Filter::default()
        };
        assert_eq!(store.list(&before).unwrap().len(), 1, "{kind}");
    }
}

#[test]
fn concurrent_inserts_are_all_committed() {
    for store in each_store() {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let store = store.store.clone();
                std::thread::spawn(move || {
                    (0..10)
                        .map(|i| store.insert(sample(&*store, "a", t * 100 + i)).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut ids: Vec<i64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 80, "{}", store.kind);
        assert_eq!(store.list(&Filter::default()).unwrap().len(), 80);
    }
}

#[test]
fn delete_removes_files_and_notices_too() {
    for store in each_store() {
        let kind = store.kind;
        let mut app = sample(&*store, "a", 1);
        app.outbox = vec![webhook_notice(serde_json::json!({"posting": "a"}))];
        let id = store.insert(app).unwrap();
        let kept = store.insert(sample(&*store, "a", 2)).unwrap();
        let file = store.get(id).unwrap().unwrap().files[0].id;
        assert_eq!(store.outbox_due(10, 10).unwrap().len(), 1, "{kind}");
        assert_eq!(store.delete(&[id, id + 70]).unwrap(), 1, "{kind}");
        assert_eq!(store.get(id).unwrap(), None, "{kind}");
        assert_eq!(store.file_bytes(file).unwrap(), None, "{kind}");
        assert!(store.outbox_list().unwrap().is_empty(), "{kind}");
        assert!(store.get(kept).unwrap().is_some(), "{kind}");
        assert_eq!(store.delete(&[]).unwrap(), 0, "{kind}");
    }
}

#[test]
fn ids_grow_after_deleting_the_newest_and_every_row() {
    for store in each_store() {
        let first = store.insert(sample(&*store, "a", 1)).unwrap();
        let second = store.insert(sample(&*store, "a", 2)).unwrap();
        store.delete(&[second]).unwrap();
        let third = store.insert(sample(&*store, "a", 3)).unwrap();
        assert!(third > second, "{}: {third} after {second}", store.kind);
        store.delete(&[first, third]).unwrap();
        let reopened = store.open_again();
        let fourth = reopened.insert(sample(&*reopened, "a", 4)).unwrap();
        assert!(fourth > third, "{}: {fourth} after {third}", store.kind);
    }
}

#[test]
fn the_client_salt_is_secret_and_survives_reopening() {
    for store in each_store() {
        let hash = store.client_hash("127.0.0.1");
        assert_eq!(hash.len(), 16);
        assert_ne!(hash, blake3::hash(b"127.0.0.1").to_hex()[..16]);
        assert_ne!(store.client_hash("127.0.0.2"), hash, "{}", store.kind);
        let again = store.open_again();
        assert_eq!(again.client_hash("127.0.0.1"), hash, "{}", store.kind);
    }
}

#[test]
fn outbox_retries_and_gives_up() {
    for store in each_store() {
        let kind = store.kind;
        let mut app = sample(&*store, "a", 1_000);
        app.outbox = vec![webhook_notice(serde_json::json!({"posting": "a"}))];
        let id = store.insert(app).unwrap();
        let due = store.outbox_due(1_000, 10).unwrap();
        assert_eq!(due.len(), 1, "{kind}");
        assert_eq!(due[0].kind, NoticeKind::Webhook);
        let payload: serde_json::Value = serde_json::from_str(&due[0].payload).unwrap();
        assert_eq!(payload["id"], id, "{kind}");
        assert_eq!(payload["posting"], "a", "{kind}");
        store
            .outbox_failed(due[0].id, Some(5_000), "timeout")
            .unwrap();
        assert_eq!(store.outbox_next().unwrap(), Some(5_000), "{kind}");
        assert!(store.outbox_due(4_999, 10).unwrap().is_empty(), "{kind}");
        let again = store.outbox_due(5_000, 10).unwrap();
        assert_eq!(again[0].attempts, 1, "{kind}");
        store.outbox_failed(due[0].id, None, "gave up").unwrap();
        assert_eq!(store.outbox_next().unwrap(), None, "{kind}");
        assert!(store.outbox_due(i64::MAX, 10).unwrap().is_empty());
        let listed = store.outbox_list().unwrap();
        assert_eq!(listed.len(), 1, "{kind}");
        assert_eq!(listed[0].last_error.as_deref(), Some("gave up"));
        assert_eq!(listed[0].next_attempt_at, None, "{kind}");
        assert_eq!(store.outbox_retry(9_000).unwrap(), 1, "{kind}");
        let retried = store.outbox_due(9_000, 10).unwrap();
        assert_eq!(retried.len(), 1, "{kind}");
        store.outbox_sent(retried[0].id).unwrap();
        assert!(store.outbox_list().unwrap().is_empty(), "{kind}");
    }
}
