//! Abuse limits that are not about the body: who the client is (the socket's
//! address, or `X-Forwarded-For` only when `[apply] trust_proxy` says a proxy we
//! run sets it) and how many applications that client may send per minute:
//! `rate_limit` accepted ones, and [`FAILED_MULTIPLE`] times as many refused
//! ones (a candidate fixing mistakes is not a flood; a bot sending junk is).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The client's address. Behind a trusted proxy, the last address of
/// `X-Forwarded-For` is the one the proxy saw (earlier entries are whatever the
/// client claimed); without `trust_proxy` the header is ignored, since anyone
/// can send it.
pub fn client_address(
    socket: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trust_proxy: bool,
) -> Option<IpAddr> {
    let forwarded = forwarded_for
        .filter(|_| trust_proxy)
        .and_then(|h| h.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    forwarded.or(socket)
}

/// How many more refused submissions than accepted ones a client may send per minute.
pub const FAILED_MULTIPLE: u32 = 10;

/// The two allowances of each client: accepted applications, and submissions
/// that were refused (invalid answers, an unreadable body, the honeypot).
pub struct Allowances {
    accepted: RateLimit,
    failed: RateLimit,
}

impl Allowances {
    /// `rate_limit` accepted applications per minute per client, and
    /// [`FAILED_MULTIPLE`] times as many refused ones; 0 means no limit at all.
    pub fn new(rate_limit: u32) -> Allowances {
        Allowances {
            accepted: RateLimit::per_minute(rate_limit),
            failed: RateLimit::per_minute(rate_limit.saturating_mul(FAILED_MULTIPLE)),
        }
    }

    /// Counts an application about to be stored; `Err(wait)` when `client`
    /// has used its allowance (nothing is counted then).
    pub fn accepted(&self, client: Option<IpAddr>) -> Result<(), Duration> {
        client.map_or(Ok(()), |c| self.accepted.check(c))
    }

    /// Counts a refused submission; `Err(wait)` when `client` has sent too many.
    pub fn failed(&self, client: Option<IpAddr>) -> Result<(), Duration> {
        client.map_or(Ok(()), |c| self.failed.check(c))
    }
}

/// Per-client rate limit: a burst of `per_minute`, refilled evenly over a minute.
pub struct RateLimit {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU32,
}

impl RateLimit {
    /// `per_minute` of 0 means no limit.
    pub fn per_minute(per_minute: u32) -> RateLimit {
        RateLimit {
            limiter: NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            checks: AtomicU32::new(0),
        }
    }

    /// Counts one for `client`; `Err(wait)` when it must wait before sending again.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        // Forget clients whose allowance is full again, so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            limiter.retain_recent();
        }
        limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_counts_behind_a_trusted_proxy() {
        let socket = Some("10.0.0.1".parse().unwrap());
        let header = Some("1.2.3.4, 203.0.113.9");
        assert_eq!(client_address(socket, header, false), socket);
        assert_eq!(
            client_address(socket, header, true),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(client_address(socket, Some("garbage"), true), socket);
        assert_eq!(client_address(socket, None, true), socket);
    }

    #[test]
    fn a_client_over_its_allowance_is_told_how_long_to_wait() {
        let limit = RateLimit::per_minute(2);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limit.check(a).is_ok());
        assert!(limit.check(a).is_ok());
        let wait = limit.check(a).unwrap_err();
        assert!(
            wait > Duration::from_secs(20) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limit.check(b).is_ok(), "other clients are not affected");
        let none = RateLimit::per_minute(0);
        assert!((0..100).all(|_| none.check(a).is_ok()));
    }

    #[test]
    fn refused_submissions_have_their_own_larger_allowance() {
        let limits = Allowances::new(2);
        let a = Some("127.0.0.1".parse().unwrap());
        assert!((0..15).all(|_| limits.failed(a).is_ok()));
        assert!(limits.accepted(a).is_ok());
        assert!(limits.accepted(a).is_ok());
        assert!(limits.accepted(a).is_err());
        assert!((0..5).all(|_| limits.failed(a).is_ok()));
        assert!(limits.failed(a).is_err(), "20 refused a minute is the cap");
        assert!(limits.accepted(None).is_ok() && limits.failed(None).is_ok());
        let none = Allowances::new(0);
        assert!((0..1000).all(|_| none.failed(a).is_ok() && none.accepted(a).is_ok()));
    }
}
