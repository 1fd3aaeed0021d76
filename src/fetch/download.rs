//! Getting a source's files: from the publishers or an http(s) mirror (with
//! retries of transient failures, and a body checked against its
//! `Content-Length`), or copied from a mirror directory; hashed on the way.

use super::FetchOptions;
use super::manifest::ManifestFile;
use super::sources::Source;
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The wait after the first failed attempt; it doubles after each.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Bytes read at a time from a download or a mirror file.
const READ_BUFFER: usize = 64 * 1024;
/// Bytes buffered before they are written to the staged file.
const WRITE_BUFFER: usize = 256 * 1024;

/// Where the files come from.
pub(super) enum Origin {
    /// The publishers' URLs of [`super::SOURCES`].
    Official,
    /// A mirror directory.
    Dir(PathBuf),
    /// A mirror web server: its base URL, without a trailing `/`.
    Http(String),
}

impl Origin {
    /// The origin `--from` names (`None`: the publishers).
    pub(super) fn parse(from: Option<&str>) -> Result<Origin> {
        let Some(from) = from else {
            return Ok(Origin::Official);
        };
        let lower = from.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Ok(Origin::Http(from.trim_end_matches('/').to_string()));
        }
        if lower.contains("://") {
            bail!("{from}: unsupported mirror (expected a directory or an http(s):// URL)");
        }
        let dir = PathBuf::from(from);
        let meta = std::fs::metadata(&dir)
            .with_context(|| format!("{from}: cannot read mirror directory"))?;
        if !meta.is_dir() {
            bail!(
                "{from}: the mirror is not a directory (expected a directory or an http(s):// URL)"
            );
        }
        Ok(Origin::Dir(dir))
    }
}

/// The HTTP client of a fetch: its timeout, its user agent, and no proxy
/// for a mirror on this machine.
pub(super) fn make_agent(opts: &FetchOptions, origin: &Origin) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .timeout_global((!opts.timeout.is_zero()).then_some(opts.timeout))
        .user_agent(concat!("sanctions/", env!("CARGO_PKG_VERSION")));
    // A mirror on this machine is never reached through a proxy.
    if let Origin::Http(base) = origin
        && is_loopback_url(base)
    {
        config = config.proxy(None);
    }
    config.build().into()
}

/// Whether a URL names this machine (`localhost` or a loopback address).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = host_port.rsplit_once('@').map_or(host_port, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Copy a source's file from a mirror directory into `dest`: from
/// `<from>/<source dir>/<name>` if present, else `<from>/<name>`.
pub(super) fn copy_from_dir(
    from: &Path,
    src: &Source,
    name: &str,
    dest: &Path,
) -> Result<ManifestFile> {
    let nested = from.join(src.dir).join(name);
    let flat = from.join(name);
    let path = if nested.is_file() {
        nested
    } else if flat.exists() {
        flat
    } else {
        bail!(
            "{}: no {name} in the mirror (looked for {} and {})",
            from.display(),
            nested.display(),
            flat.display()
        );
    };
    let mut input =
        std::fs::File::open(&path).with_context(|| format!("{}: cannot open", path.display()))?;
    let (bytes, sha256) = copy_hashed(&mut input, dest)
        .map_err(|e| match e {
            CopyError::Read { got, error } => {
                anyhow::anyhow!("read error after {got} bytes: {error}")
            }
            CopyError::Write(error) => anyhow::anyhow!("{}: cannot write: {error}", dest.display()),
        })
        .with_context(|| format!("{}: cannot copy", path.display()))?;
    Ok(ManifestFile {
        file: name.to_string(),
        url: path.display().to_string(),
        sha256,
        bytes,
    })
}

/// Why a copy failed.
enum CopyError {
    /// Reading the input failed after `got` bytes.
    Read { got: u64, error: std::io::Error },
    /// Writing the staged file failed.
    Write(std::io::Error),
}

/// Copy a reader into a new file at `dest`, synced, hashing on the way.
fn copy_hashed(input: &mut dyn Read, dest: &Path) -> std::result::Result<(u64, String), CopyError> {
    let file = std::fs::File::create(dest).map_err(CopyError::Write)?;
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; READ_BUFFER];
    let mut got: u64 = 0;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(CopyError::Read { got, error }),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
        got += n as u64;
    }
    let file = out
        .into_inner()
        .map_err(|e| CopyError::Write(e.into_error()))?;
    file.sync_all().map_err(CopyError::Write)?;
    let sha256 = crate::lists::hex(&hasher.finalize());
    Ok((got, sha256))
}

/// A download that failed for good.
#[derive(Debug)]
pub(super) struct DownloadError {
    message: String,
    /// The server answered 404 (the only case where a flat mirror is tried).
    pub(super) not_found: bool,
}

impl std::fmt::Display for DownloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DownloadError {}

/// One failed attempt.
struct AttemptError {
    message: String,
    retry: bool,
    status: Option<u16>,
}

/// Download `url` into `dest`, retrying transient failures.
pub(super) fn download(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    opts: &FetchOptions,
    key: &str,
    name: &str,
    log: &mut dyn FnMut(&str),
) -> std::result::Result<ManifestFile, DownloadError> {
    let attempts = opts.retries.saturating_add(1);
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        match download_once(agent, url, dest, opts.timeout) {
            Ok((bytes, sha256)) => {
                return Ok(ManifestFile {
                    file: name.to_string(),
                    url: url.to_string(),
                    sha256,
                    bytes,
                });
            }
            Err(e) if e.retry && attempt < attempts => {
                log(&format!(
                    "{key}: {name}: attempt {attempt} of {attempts} failed: {url}: {}; retrying in {} ms",
                    e.message,
                    backoff.as_millis()
                ));
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(MAX_BACKOFF);
                attempt += 1;
            }
            Err(e) => {
                let after = if attempt > 1 {
                    format!(" after {attempt} attempts")
                } else {
                    String::new()
                };
                return Err(DownloadError {
                    message: format!("{url}: {}{after}", e.message),
                    not_found: e.status == Some(404),
                });
            }
        }
    }
}

/// One attempt at downloading `url` into `dest`: its size and sha256, or
/// why it failed and whether another attempt may help.
fn download_once(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    timeout: Duration,
) -> std::result::Result<(u64, String), AttemptError> {
    let mut response = agent.get(url).call().map_err(|e| describe(e, timeout))?;
    let expected = response.body().content_length();
    let mut reader = response.body_mut().as_reader();
    match copy_hashed(&mut reader, dest) {
        Ok((got, sha)) => match expected {
            Some(m) if got < m => Err(AttemptError {
                message: format!("truncated: got {got} of {m} bytes"),
                retry: true,
                status: None,
            }),
            _ => Ok((got, sha)),
        },
        Err(CopyError::Read { got, error }) => {
            let cause = match ureq::Error::from(error) {
                ureq::Error::Timeout(t) => format!("timed out after {timeout:?} ({t})"),
                ureq::Error::Io(io) => io.to_string(),
                other => other.to_string(),
            };
            let message = match expected {
                Some(m) => format!("truncated: got {got} of {m} bytes ({cause})"),
                None => format!("truncated: read error after {got} bytes ({cause})"),
            };
            Err(AttemptError {
                message,
                retry: true,
                status: None,
            })
        }
        Err(CopyError::Write(error)) => Err(AttemptError {
            message: format!("{}: cannot write: {error}", dest.display()),
            retry: false,
            status: None,
        }),
    }
}

/// A failed request as a message, and whether trying again may help.
fn describe(e: ureq::Error, timeout: Duration) -> AttemptError {
    use ureq::Error as E;
    let (message, retry, status) = match e {
        E::StatusCode(code) => (format!("HTTP {code}"), code >= 500, Some(code)),
        E::Timeout(t) => (format!("timed out after {timeout:?} ({t})"), true, None),
        E::Io(io) => (io.to_string(), true, None),
        e @ (E::ConnectionFailed | E::HostNotFound | E::Protocol(_)) => (e.to_string(), true, None),
        other => (other.to_string(), false, None),
    };
    AttemptError {
        message,
        retry,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost"));
        assert!(is_loopback_url("http://[::1]:80/"));
        assert!(!is_loopback_url("https://docs.fcdo.gov.uk/docs"));
    }
}
