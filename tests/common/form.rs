//! A filled-in application form for the `valid/basic` fixture's
//! `backend-engineer`, encoded as `multipart/form-data` the way browsers send it.

use super::repo;

pub const BOUNDARY: &str = "----openingsTestBoundary";

pub fn resume_pdf() -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/files/resume.pdf")).unwrap()
}

/// A filled-in application form for `backend-engineer`.
#[derive(Clone)]
pub struct Form {
    pub fields: Vec<(String, String)>,
    pub file: Option<(String, Vec<u8>)>,
}

impl Form {
    pub fn valid() -> Form {
        let fields = [
            ("name", "Ada Lovelace"),
            ("email", "ada@example.com"),
            ("phone", "+44 20 7946 0000"),
            (
                "cover_letter",
                "I have written for engines.\nTwice <really>.",
            ),
            ("links", "https://github.example/ada"),
            ("q_rust_years", "7"),
            ("q_start", "In a month"),
            ("q_langs", "English"),
            ("q_langs", "German"),
            ("q_visa", "no"),
            ("q_why", "Testco & its \"tests\"."),
            ("consent", "yes"),
            ("website_url", ""),
        ];
        Form {
            fields: fields
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            file: Some(("resume.pdf".into(), resume_pdf())),
        }
    }

    /// The form of `backend-engineer` of the `valid/languages` fixture, filled in.
    pub fn languages_fixture() -> Form {
        let fields = [
            ("name", "Ada Lovelace"),
            ("email", "ada@example.com"),
            ("q_rust_years", "4"),
            ("q_notice", "One month"),
            ("consent", "yes"),
            ("website_url", ""),
        ];
        Form {
            fields: fields
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            file: Some(("cv.pdf".into(), resume_pdf())),
        }
    }

    pub fn set(mut self, name: &str, value: &str) -> Form {
        self.fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            self.fields.push((name.into(), value.into()));
        }
        self
    }

    pub fn file(mut self, name: &str, bytes: Vec<u8>) -> Form {
        self.file = Some((name.into(), bytes));
        self
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, value) in &self.fields {
            out.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((name, bytes)) = &self.file {
            out.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }
}

/// The `Content-Type` of an encoded form.
pub fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}
