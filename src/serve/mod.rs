//! `sanctions serve`: screening over HTTP, on the index and matcher that
//! `screen` uses (through the same [`crate::screening::Screener`]), so that a name
//! scores the same through `screen`, `/match` and `/v2/search`.
//!
//! The endpoints, by the API they follow:
//!
//! - yente's (`yente.rs`): `POST /match/{dataset}`, `GET /search/{dataset}`,
//!   `GET /entities/{id}`, `GET /catalog`, `GET /algorithms`, `GET /healthz`,
//!   `GET /readyz`;
//! - Watchman's (`watchman.rs`): `GET /v2/search`, `GET /v2/listinfo`;
//! - this tool's own (`native.rs`): `POST /v1/screen` (a CSV or JSON array of
//!   rows in, the JSON report of `screen --format json` out) and
//!   `POST /v1/reload`.
//!
//! The lists reload without a restart ([`state::Lists::reload`]): on
//! `POST /v1/reload`, on SIGHUP, and when a watched list file (or a fetched
//! directory's `lists.json`) changes. `http.rs` holds what every endpoint
//! shares: JSON errors, typed query parameters, limits, CORS, the token,
//! and the time budget that stops a request's work when its time is up
//! (checked between names and between batches of names; SIGTERM spends
//! every budget at once, so the server stops within a second).
//! `yente_api.rs` and `watchman_api.rs` hold each API's request and answer
//! types.

mod http;
mod native;
pub mod state;
mod views;
mod watchman;
mod watchman_api;
mod yente;
mod yente_api;

use crate::config::{Outcome, ServeConfig};
use crate::matcher::{Matcher, QueryFacts};
use crate::model::Identifier;
use crate::report::Hit;
use crate::screening::Screener;
use anyhow::{Context, Result};
use axum::Router;
use axum::routing::{get, post};
use http::{ApiResult, Budget};
use state::{Lists, Loaded};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What every handler shares.
pub struct App {
    /// The lists served, swapped on reload.
    pub lists: Lists,
    /// The bearer token requests must carry.
    token: Option<String>,
    /// A request taking longer is answered 503.
    request_timeout: Duration,
    /// Bodies larger are refused.
    max_body: usize,
    /// The default threshold.
    threshold: f32,
    /// The default hit limit of `/match`.
    limit: usize,
    /// Hits at or above this are `block`.
    block_threshold: f32,
    /// Set when the server is told to stop: every request's work stops.
    stopping: Arc<AtomicBool>,
}

impl App {
    /// Load the lists the configuration names.
    pub fn load(c: &ServeConfig) -> Result<App> {
        Ok(App {
            lists: Lists::load(c.clone())?,
            token: c.token.clone(),
            request_timeout: c.request_timeout,
            max_body: c.max_body,
            threshold: c.threshold,
            limit: c.limit,
            block_threshold: c.block_threshold,
            stopping: Arc::new(AtomicBool::new(false)),
        })
    }
}

/// What one screened name is given: its names (each screened; an entry's
/// best score counts), identifiers, and the facts the matcher weighs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Probe {
    pub names: Vec<String>,
    pub identifiers: Vec<Identifier>,
    pub country: Option<String>,
    pub date_of_birth: Option<crate::model::BirthDate>,
    pub entity_type: Option<crate::model::EntityType>,
}

/// One hit of a probe, with the listed entry it is on.
pub(crate) struct ProbeHit {
    /// The entity's index in the lists' index.
    pub entity: u32,
    /// The input name that scored best.
    pub query: String,
    /// The hit as `screen` reports it.
    pub hit: Hit,
}

/// Screen a probe against the lists at `threshold`: every hit of each of
/// its names, one per entry (its best), best first, ties by entity id. A
/// probe with identifiers and no name is screened by its identifiers
/// alone. The budget is checked before each name: a request whose time is
/// up stops here (503).
pub(crate) fn screen_probe(
    loaded: &Loaded,
    app: &App,
    threshold: f32,
    p: &Probe,
    budget: &Budget,
) -> ApiResult<Vec<ProbeHit>> {
    let matcher = Matcher::sharing(&loaded.index, threshold, 0, &loaded.words);
    let screener = Screener::new(&loaded.index, &matcher, app.block_threshold)
        .with_decisions(loaded.decisions.as_ref());
    let facts = QueryFacts {
        country: p.country.as_deref(),
        date_of_birth: p.date_of_birth.as_ref(),
        entity_type: p.entity_type,
    };
    let identifiers = identifier_variants(&p.identifiers);
    let by_identifier = [String::new()];
    let names: &[String] = if p.names.is_empty() && !identifiers.is_empty() {
        &by_identifier
    } else {
        &p.names
    };
    let mut out: Vec<ProbeHit> = Vec::new();
    for name in names {
        budget.check()?;
        for hit in screener.hits(name, None, &identifiers, &facts) {
            let Some(&entity) = loaded.by_id.get(hit.entity_id.as_str()) else {
                continue;
            };
            match out.iter_mut().find(|h| h.entity == entity) {
                Some(h) if h.hit.score >= hit.score => {}
                Some(h) => {
                    h.query = name.clone();
                    h.hit = hit;
                }
                None => out.push(ProbeHit {
                    entity,
                    query: name.clone(),
                    hit,
                }),
            }
        }
    }
    out.sort_by(|a, b| {
        b.hit
            .score
            .total_cmp(&a.hit.score)
            .then_with(|| a.hit.entity_id.cmp(&b.hit.entity_id))
    });
    Ok(out)
}

/// The identifiers a probe is looked up by: each as given, and an IMO
/// number both with and without its `IMO` prefix (Watchman's clients send
/// `9116412`, OFAC publishes `IMO 9116412`, other lists the bare number).
fn identifier_variants(ids: &[Identifier]) -> Vec<Identifier> {
    let mut out: Vec<Identifier> = ids.to_vec();
    for i in ids {
        let kind = i.kind.to_ascii_lowercase();
        if !kind.starts_with("imo") {
            continue;
        }
        let v = i.value.trim();
        let digits = v
            .strip_prefix("IMO")
            .or_else(|| v.strip_prefix("imo"))
            .unwrap_or(v)
            .trim();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            for value in [digits.to_string(), format!("IMO {digits}")] {
                if !out.iter().any(|o| o.value == value) {
                    out.push(Identifier {
                        kind: i.kind.clone(),
                        value,
                        country: i.country.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The router of every endpoint.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/match/{dataset}", post(yente::match_entities))
        .route("/search/{dataset}", get(yente::search))
        // Marble sends ids holding `/` (`ca-sema:Russia/1,Part1/503`) unescaped.
        .route("/entities/{*id}", get(yente::entity))
        .route("/catalog", get(yente::catalog))
        .route("/algorithms", get(yente::algorithms))
        .route("/healthz", get(yente::healthz))
        .route("/readyz", get(yente::readyz))
        .route("/v2/search", get(watchman::search))
        .route("/v2/listinfo", get(watchman::listinfo))
        .route("/v1/screen", post(native::screen))
        .route("/v1/reload", post(native::reload))
        .fallback(http::no_route)
        .method_not_allowed_fallback(http::wrong_method)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            http::time_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            http::require_token,
        ))
        .layer(axum::middleware::from_fn(http::size_limits))
        .layer(axum::middleware::from_fn(http::cors))
        .with_state(app)
}

/// A server started on its own runtime thread, for tests and benchmarks:
/// its address, and a handle that stops it when dropped.
pub struct Running {
    /// The address it listens on (a free port when `--listen` gave port 0).
    pub addr: SocketAddr,
    /// Its shared state (to reload it, or read what it serves).
    pub app: Arc<App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.app.stopping.store(true, Ordering::Relaxed);
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Load the lists, bind the address and serve in the background.
pub fn start(c: &ServeConfig) -> Result<Running> {
    let app = Arc::new(App::load(c)?);
    let runtime = runtime()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(c.listen))
        .with_context(|| format!("cannot listen on {}", c.listen))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = Arc::clone(&app);
    let watch = c.watch;
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            spawn_reloaders(&served, watch);
            let _ = axum::serve(listener, router(served))
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
    });
    Ok(Running {
        addr,
        app,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// The async runtime: one worker per core.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("sanctions-serve")
        .build()
        .context("cannot start the async runtime")
}

/// Reload on SIGHUP, and when a watched file changes (every `watch`).
fn spawn_reloaders(app: &Arc<App>, watch: Option<Duration>) {
    #[cfg(unix)]
    {
        let app = Arc::clone(app);
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                eprintln!("sanctions serve: cannot listen for SIGHUP; reload with POST /v1/reload");
                return;
            };
            while hup.recv().await.is_some() {
                let app = Arc::clone(&app);
                let _ = tokio::task::spawn_blocking(move || app.lists.reload("SIGHUP")).await;
            }
        });
    }
    if let Some(every) = watch {
        let app = Arc::clone(app);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let app = Arc::clone(&app);
                let _ = tokio::task::spawn_blocking(move || {
                    let current = app.lists.current();
                    if state::changed_on_disk(app.lists.config(), &current) {
                        let _ = app.lists.reload("list files changed");
                    }
                })
                .await;
            }
        });
    }
}

/// Run `sanctions serve` until interrupted (Ctrl-C or SIGTERM). On the
/// signal the server takes no new connection, every request's budget is
/// spent (work in flight stops at its next check and is answered 503), and
/// the process ends within a second whatever is left.
pub fn run(c: &ServeConfig) -> Result<Outcome> {
    let app = Arc::new(App::load(c)?);
    let loaded = app.lists.current();
    if loaded.bundled {
        eprintln!(
            "sanctions serve: using the bundled SAMPLE lists (a few dozen entries), not the official lists: pass --lists PATH or set SANCTIONS_LISTS"
        );
    }
    let runtime = runtime()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(c.listen)
            .await
            .with_context(|| format!("cannot listen on {}", c.listen))?;
        eprintln!(
            "sanctions serve: {} entities, {} names from {} list files (loaded in {:.2} s); listening on http://{}{}",
            loaded.index.entities.len(),
            loaded.index.name_count(),
            loaded.files.len(),
            loaded.load_seconds,
            listener.local_addr()?,
            if c.token.is_some() {
                " (token required)"
            } else {
                ""
            }
        );
        drop(loaded);
        spawn_reloaders(&app, c.watch);
        let stopping = Arc::clone(&app.stopping);
        let (told, mut heard) = tokio::sync::watch::channel(false);
        let server = axum::serve(listener, router(app)).with_graceful_shutdown(async move {
            shutdown().await;
            stopping.store(true, Ordering::Relaxed);
            let _ = told.send(true);
        });
        let deadline = async {
            let _ = heard.wait_for(|&t| t).await;
            tokio::time::sleep(STOP_GRACE).await;
        };
        tokio::select! {
            r = server => r.context("the server stopped"),
            _ = deadline => {
                eprintln!("sanctions serve: requests still open after {} ms; closing them", STOP_GRACE.as_millis());
                Ok(())
            }
        }
    })?;
    // Blocking work still running has its budget spent and ends at its next
    // check; do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(100));
    eprintln!("sanctions serve: stopped");
    Ok(Outcome::Clear)
}

/// How long connections may stay open after SIGTERM (the process ends
/// within a second of it).
const STOP_GRACE: Duration = Duration::from_millis(700);

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
