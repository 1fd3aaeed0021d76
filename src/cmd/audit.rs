//! The run record `screen --audit` writes: what every record says (tool,
//! version, start time, command line) and the run's own fields.

use crate::clock;
use crate::config::ScreenConfig;
use crate::workflow;
use anyhow::Result;

/// The layout of the run record.
const SCHEMA_VERSION: u32 = 1;

/// Write the run record to `--audit`, if asked: what every record says
/// (tool, version, start time, command line) and this run's `fields`.
pub fn write_audit(c: &ScreenConfig, fields: serde_json::Value) -> Result<()> {
    let Some(path) = &c.audit else {
        return Ok(());
    };
    let mut record = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "tool": "sanctions",
        "version": env!("CARGO_PKG_VERSION"),
        "started": clock::rfc3339(std::time::SystemTime::now()),
        "command_line": c.command_line,
    });
    if let (Some(r), serde_json::Value::Object(f)) = (record.as_object_mut(), fields) {
        r.extend(f);
    }
    let mut text = serde_json::to_vec_pretty(&record)?;
    text.push(b'\n');
    workflow::write_atomic(path, &text)
}
