//! `sanctions._sanctions`: the Python binding of the screening core
//! (`sanctions::screening`). The Python package (`python/sanctions`) wraps
//! it: argument handling, `Hit`, Arrow tables and Spark are Python; the
//! lists, the index and every screened name go through the same
//! [`Screener::row`] as `sanctions screen`.
//!
//! No panic crosses into Python (each entry point catches it and raises
//! `RuntimeError`); the GIL is released while lists load and names screen.

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use sanctions::index::Index;
use sanctions::input::{self, RowError};
use sanctions::matcher::{Matcher, WordCache};
use sanctions::model::{Identifier, Query};
use sanctions::report::{Hit, RowResult, Verdict};
use sanctions::screening::{self, Screener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// The same allocator as the CLI, so that screening from Python is as fast.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _sanctions,
    ListError,
    pyo3::exceptions::PyException,
    "A list file is missing, unreadable or cannot be parsed (the message names the file and line)."
);

/// Hits at or above this are `block` by default, as in `sanctions screen`
/// (or the threshold, when higher).
const DEFAULT_BLOCK_THRESHOLD: f32 = 0.95;

/// Run `f`, turning a panic into a `RuntimeError`.
fn guarded<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(PyRuntimeError::new_err(format!(
                "sanctions: internal error: {what}"
            )))
        }
    }
}

/// The loaded lists, their index and what screens against them.
#[pyclass(frozen, module = "sanctions._sanctions")]
struct Core {
    index: Index,
    words: WordCache,
    threshold: f32,
    top: usize,
    block_threshold: f32,
    pool: rayon::ThreadPool,
    /// What `sanctions lists --json` says of these lists.
    lists_json: String,
    bundled: bool,
}

/// One input row as Python gives it: the name and the optional facts.
type RowIn = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<(String, String)>,
);

/// A hit as Python's `Hit` is built from it: entity_id, score, severity,
/// list, matched_name, primary_name, entity_type, programs, why, and the
/// explanation as JSON.
type HitOut = (
    String,
    f64,
    &'static str,
    String,
    String,
    String,
    String,
    Vec<String>,
    String,
    String,
);

fn hit_out(h: &Hit) -> HitOut {
    (
        h.entity_id.clone(),
        h.score,
        h.severity.as_str(),
        h.list.clone(),
        h.matched_name.clone(),
        h.primary_name.clone(),
        h.entity_type.clone(),
        h.programs.clone(),
        h.why.clone(),
        serde_json::to_string(&h.explanation).unwrap_or_else(|_| "{}".to_string()),
    )
}

/// The query of row `i` (0-based), or its error, checked as
/// `sanctions screen` checks an input row; `columns` names the name, date
/// of birth and type columns for messages.
fn to_row(i: usize, r: RowIn, columns: &[String; 3]) -> input::Row {
    let (name, dob, country, entity_type, identifiers) = r;
    let row = i as u64 + 1;
    let err = |message: String| RowError {
        row,
        line: row,
        id: None,
        message,
    };
    let name = name.unwrap_or_default();
    if let Some(problem) = input::name_problem(&columns[0], &name) {
        return Err(err(problem));
    }
    let trimmed = |v: Option<String>| {
        v.map(|s| s.trim().to_string())
            .filter(|s: &String| !s.is_empty())
    };
    // As `sanctions screen --strict-facts` reads them: a fact that cannot
    // be read is the row's error (a bad argument), never silently dropped.
    let (dob, entity_type, country) = (trimmed(dob), trimmed(entity_type), trimmed(country));
    let facts = input::read_facts(
        dob.as_deref().map(|v| (columns[1].as_str(), v)),
        entity_type.as_deref().map(|v| (columns[2].as_str(), v)),
        country.as_deref().map(|v| ("country", v)),
        true,
    )
    .map_err(err)?;
    let mut ids = Vec::new();
    for (kind, value) in identifiers {
        let Some(k) = input::identifier_kind(&kind) else {
            return Err(err(format!(
                "unknown identifier kind {kind:?} (ISIN, ticker, LEI, IMO, registration number, tax id, passport, identifier, SWIFT/BIC)"
            )));
        };
        if !value.trim().is_empty() {
            ids.push(Identifier {
                kind: k.to_string(),
                value: value.trim().to_string(),
                country: None,
            });
        }
    }
    Ok(Query {
        row,
        line: row,
        id: None,
        name: name.trim().to_string(),
        identifiers: ids,
        country: facts.country,
        date_of_birth: facts.date_of_birth,
        entity_type: facts.entity_type,
        warnings: facts.warnings,
    })
}

impl Core {
    /// Screen the rows on this core's thread pool, in order.
    fn screen(&self, rows: Vec<RowIn>, columns: &[String; 3]) -> Vec<RowResult> {
        let matcher = Matcher::sharing(&self.index, self.threshold, self.top, &self.words);
        let screener = Screener::new(&self.index, &matcher, self.block_threshold);
        self.pool.install(|| {
            rows.into_par_iter()
                .enumerate()
                .map(|(i, r)| screener.row(&to_row(i, r, columns)))
                .collect()
        })
    }
}

#[pymethods]
impl Core {
    /// Load and index the lists (`None`: what the CLI uses by default).
    #[new]
    #[pyo3(signature = (lists, threshold, top, threads))]
    fn new(
        py: Python<'_>,
        lists: Option<Vec<PathBuf>>,
        threshold: f32,
        top: usize,
        threads: Option<usize>,
    ) -> PyResult<Core> {
        guarded(|| {
            if !(0.0..=1.0).contains(&threshold) {
                return Err(PyValueError::new_err(format!(
                    "threshold must be between 0 and 1, got {threshold}"
                )));
            }
            if threads == Some(0) {
                return Err(PyValueError::new_err("threads must be at least 1"));
            }
            if lists.as_ref().is_some_and(Vec::is_empty) {
                return Err(PyValueError::new_err(
                    "lists is empty: pass None for the default lists",
                ));
            }
            let mut builder = rayon::ThreadPoolBuilder::new();
            if let Some(n) = threads {
                builder = builder.num_threads(n);
            }
            let pool = builder
                .build()
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
            let loaded = py.allow_threads(|| {
                let paths = screening::resolve_lists(lists.unwrap_or_default())?;
                let mut catalog = screening::load_catalog(&paths)?;
                let json = serde_json::to_string(&screening::catalog_json(&catalog))?;
                let index = screening::build_index(&mut catalog);
                anyhow::Ok((index, json, catalog.bundled))
            });
            let (index, lists_json, bundled) =
                loaded.map_err(|e| ListError::new_err(format!("{e:#}")))?;
            Ok(Core {
                index,
                words: WordCache::default(),
                threshold,
                top,
                block_threshold: threshold.max(DEFAULT_BLOCK_THRESHOLD),
                pool,
                lists_json,
                bundled,
            })
        })
    }

    /// What `sanctions lists --json` says of the lists, as JSON.
    fn lists_json(&self) -> String {
        self.lists_json.clone()
    }

    /// Whether the bundled sample lists are in use.
    fn bundled(&self) -> bool {
        self.bundled
    }

    /// The warning the CLI gives when the bundled sample is in use.
    #[staticmethod]
    fn bundled_warning() -> &'static str {
        screening::BUNDLED_SAMPLE_WARNING
    }

    /// Screen rows (name, date of birth, country, type, identifiers): per
    /// row, a list of hit tuples, or the row's error message (a str).
    #[pyo3(signature = (rows, columns))]
    fn screen_rows<'py>(
        &self,
        py: Python<'py>,
        rows: Vec<RowIn>,
        columns: [String; 3],
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let results = py.allow_threads(|| self.screen(rows, &columns));
            let out = PyList::empty(py);
            for r in &results {
                if r.verdict == Verdict::Error {
                    out.append(r.error.clone().unwrap_or_default())?;
                } else {
                    let hits: Vec<HitOut> = r.hits.iter().map(hit_out).collect();
                    out.append(hits)?;
                }
            }
            Ok(out)
        })
    }

    /// Screen rows into columns, a row per hit and a row per input row in
    /// error: `row` (0-based input row), `entity_id`, `score`, `severity`,
    /// `list`, `matched_name`, `primary_name`, `entity_type`, `programs`,
    /// `why`, `status` (`hit` or `error`), `error`.
    #[pyo3(signature = (rows, columns))]
    fn screen_columns<'py>(
        &self,
        py: Python<'py>,
        rows: Vec<RowIn>,
        columns: [String; 3],
    ) -> PyResult<Bound<'py, PyDict>> {
        guarded(|| {
            let results = py.allow_threads(|| self.screen(rows, &columns));
            let mut row: Vec<u64> = Vec::new();
            let mut text: [Vec<Option<String>>; 7] = Default::default();
            let mut score: Vec<Option<f64>> = Vec::new();
            let mut programs: Vec<Option<Vec<String>>> = Vec::new();
            let mut status: Vec<&'static str> = Vec::new();
            let mut error: Vec<Option<String>> = Vec::new();
            for (i, r) in results.into_iter().enumerate() {
                if r.verdict == Verdict::Error {
                    row.push(i as u64);
                    for col in &mut text {
                        col.push(None);
                    }
                    score.push(None);
                    programs.push(None);
                    status.push("error");
                    error.push(r.error);
                    continue;
                }
                for h in r.hits {
                    row.push(i as u64);
                    let values = [
                        h.entity_id,
                        h.severity.as_str().to_string(),
                        h.list,
                        h.matched_name,
                        h.primary_name,
                        h.entity_type,
                        h.why,
                    ];
                    for (col, v) in text.iter_mut().zip(values) {
                        col.push(Some(v));
                    }
                    score.push(Some(h.score));
                    programs.push(Some(h.programs));
                    status.push("hit");
                    error.push(None);
                }
            }
            let out = PyDict::new(py);
            out.set_item("row", row)?;
            let [
                entity_id,
                severity,
                list,
                matched,
                primary,
                entity_type,
                why,
            ] = text;
            out.set_item("entity_id", entity_id)?;
            out.set_item("score", score)?;
            out.set_item("severity", severity)?;
            out.set_item("list", list)?;
            out.set_item("matched_name", matched)?;
            out.set_item("primary_name", primary)?;
            out.set_item("entity_type", entity_type)?;
            out.set_item("programs", programs)?;
            out.set_item("why", why)?;
            out.set_item("status", status)?;
            out.set_item("error", error)?;
            Ok(out)
        })
    }
}

/// The extension module.
#[pymodule]
fn _sanctions(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Core>()?;
    m.add("ListError", m.py().get_type::<ListError>())?;
    Ok(())
}
