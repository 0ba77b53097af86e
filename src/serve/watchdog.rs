//! Health from the outside: the probe that asks a server's `/healthz` over
//! HTTP (the `openings healthcheck` command, for a container's HEALTHCHECK),
//! and systemd's notifications for `serve --production`: READY=1 once the
//! server answers, then, when the unit sets `WatchdogSec`, WATCHDOG=1 at half
//! that interval for as long as the server answers its own health check through
//! its listening socket. A stuck accept loop, a dead store or a server that no
//! longer answers stops the pings, and systemd restarts it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// How long the probe waits for an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Asks `url` (a server's `/healthz`); `Err` says why it is not healthy.
pub fn probe(url: &str) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(PROBE_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header(
            "user-agent",
            concat!("openings-healthcheck/", env!("CARGO_PKG_VERSION")),
        )
        .call()
        .map_err(|e| format!("{url} does not answer: {e}"))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    match status {
        200 => Ok(()),
        _ => Err(format!("{url} answered {status}: {}", body.trim())),
    }
}

/// The health check URL of a server listening on `addr`, reached over loopback
/// when it listens on every interface.
pub fn health_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!(
        "http://{}{}",
        SocketAddr::new(ip, addr.port()),
        super::route::HEALTH_PATH
    )
}

/// Tells systemd the server is ready and keeps its watchdog fed while the
/// server answers its own health check. Does nothing outside systemd.
pub fn start(addr: SocketAddr) {
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    let Some(interval) = sd_notify::watchdog_enabled() else {
        return;
    };
    let url = health_url(addr);
    let spawned = std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || {
            loop {
                match probe(&url) {
                    Ok(()) => {
                        let _ = sd_notify::notify(&[sd_notify::NotifyState::Watchdog]);
                    }
                    Err(why) => eprintln!("serve: not healthy, the watchdog is not fed: {why}"),
                }
                std::thread::sleep(interval / 2);
            }
        });
    if let Err(e) = spawned {
        eprintln!("serve: cannot start the watchdog thread: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_goes_over_loopback_for_every_interface() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(health_url(any), "http://127.0.0.1:8080/healthz");
        let v6: SocketAddr = "[::]:8080".parse().unwrap();
        assert_eq!(health_url(v6), "http://[::1]:8080/healthz");
        let one: SocketAddr = "10.0.0.5:80".parse().unwrap();
        assert_eq!(health_url(one), "http://10.0.0.5:80/healthz");
    }
}
