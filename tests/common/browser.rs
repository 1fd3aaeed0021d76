//! A real browser for the tests that look at a page as a person would:
//! Debian's headless Chromium driven through ChromeDriver's WebDriver API
//! (W3C WebDriver over HTTP on 127.0.0.1), with a few lines of `ureq`.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::browser`.
//! [`Browser::start`] gives `None`, with a message saying so, when
//! `chromium` or `chromedriver` is not installed (`apt-get install chromium
//! chromium-driver`; `.ci/run` installs them); with `SANCTIONS_REQUIRE_BROWSER`
//! set, as `.ci/run` sets it, their absence fails the test instead.

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A program on `PATH`, or the file `env` names if it is set; `None`
/// when there is no such file.
fn program(name: &str, env: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A headless Chromium session, ended (and its driver stopped) when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start ChromeDriver and a headless Chromium session; `None` (with a
    /// message) when either is not installed, unless a browser is required.
    pub fn start(test: &str) -> Option<Browser> {
        let (Some(chromium), Some(driver)) = (
            program("chromium", "CHROMIUM"),
            program("chromedriver", "CHROMEDRIVER"),
        ) else {
            let msg = format!(
                "{test}: chromium or chromedriver is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            assert!(
                std::env::var_os("SANCTIONS_REQUIRE_BROWSER").is_none(),
                "{msg}, and SANCTIONS_REQUIRE_BROWSER asks for them"
            );
            eprintln!("{msg}: skipped");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .proxy(None)
            .build()
            .into();
        let profile = tempfile::tempdir().unwrap();
        let mut b = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            agent,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = b
                .agent
                .get(format!("{}/status", b.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver not ready in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        let session = b.call(
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1280,1000",
                             format!("--user-data-dir={}", b._profile.path().display())],
                }
            }}})),
        );
        let id = session["sessionId"].as_str().expect("a session id");
        b.base = format!("{}/session/{id}", b.base);
        Some(b)
    }

    /// One WebDriver call; its `value`, or a panic with the driver's error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let answer = match (method, body) {
            ("POST", b) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(b.unwrap_or(json!({})).to_string()),
            ("DELETE", _) => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let body = answer
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let v: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {body}"));
        if let Some(err) = v["value"].get("error") {
            panic!("{method} {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    /// Open a file in the browser.
    pub fn open(&self, file: &Path) {
        let url = format!("file://{}", file.canonicalize().unwrap().display());
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    /// Run `script` (a function body; `arguments` holds `args`) in the page
    /// and return what it returns.
    pub fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// The first element matching a CSS selector, as a script argument.
    pub fn find(&self, css: &str) -> Value {
        let e = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        json!({ELEMENT: e[ELEMENT].clone()})
    }

    /// Click an element, as a person would (it must be visible).
    pub fn click(&self, element: &Value) {
        let id = element[ELEMENT].as_str().unwrap();
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    /// Type text into an element.
    pub fn type_into(&self, element: &Value, text: &str) {
        let id = element[ELEMENT].as_str().unwrap();
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
