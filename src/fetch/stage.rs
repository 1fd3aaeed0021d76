//! Staging and checks: a source's files are downloaded into a hidden
//! staging directory, loaded and checked (each file the format expected of
//! it, some entities, not much fewer than before), and only then moved over
//! the previous copy; the staging directory is removed either way.

use super::FetchOptions;
use super::download::{Origin, copy_from_dir, download};
use super::manifest::{ManifestFile, ManifestSource, sync_dir};
use super::sources::{Source, expected_format};
use crate::clock::rfc3339;
use crate::lists::ofac_csv::Role;
use crate::lists::{self, Catalog, Format, ListFile};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The staging directory of a source is `<dir>/.staging-<key>`: hidden, so
/// that the list loaders never look into it.
const STAGING_PREFIX: &str = ".staging-";
/// A source that loads fewer than 1/SHRINK_FACTOR of the entities of the
/// copy it replaces is refused (without `--allow-shrink`).
const SHRINK_FACTOR: usize = 2;
/// The byte OFAC's CSV files end with (DOS end of file).
const OFAC_END_OF_FILE: u8 = 0x1A;

/// Fetch one source; on success its files are in place and the returned
/// entry describes them. The staging directory is gone either way.
pub(super) fn fetch_source(
    src: &Source,
    opts: &FetchOptions,
    origin: &Origin,
    agent: &ureq::Agent,
    before: Option<usize>,
    log: &mut dyn FnMut(&str),
) -> Result<ManifestSource> {
    let staging = opts.dir.join(format!("{STAGING_PREFIX}{}", src.key));
    remove_dir_if_present(&staging)?;
    std::fs::create_dir(&staging)
        .with_context(|| format!("{}: cannot create staging directory", staging.display()))?;
    let result = stage_and_install(src, opts, origin, agent, &staging, before, log);
    let cleaned = remove_dir_if_present(&staging);
    let entry = result?;
    if let Err(e) = cleaned {
        log(&format!("{}: warning: {e:#}", src.key));
    }
    Ok(entry)
}

/// Remove a directory and what it holds; nothing to do if it is not there.
fn remove_dir_if_present(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("{}: cannot remove", dir.display())),
    }
}

/// Stage the source's files, check them, and move them into place.
fn stage_and_install(
    src: &Source,
    opts: &FetchOptions,
    origin: &Origin,
    agent: &ureq::Agent,
    staging: &Path,
    before: Option<usize>,
    log: &mut dyn FnMut(&str),
) -> Result<ManifestSource> {
    let retrieved = rfc3339(SystemTime::now());
    let files = stage_files(src, opts, origin, agent, staging, log)?;
    let (entities, published) = validate(src, staging, &files, log)?;
    check_shrink(entities, before, opts.allow_shrink)?;
    let target = install(src, opts, staging, &files)?;
    log(&format!(
        "{}: ok: {} entities{} in {}",
        src.key,
        group_digits(entities as u64),
        published
            .as_deref()
            .map(|p| format!(", published {p}"))
            .unwrap_or_default(),
        target.display()
    ));
    Ok(ManifestSource {
        key: src.key.to_string(),
        label: src.label.to_string(),
        dir: src.dir.to_string(),
        screen: src.screen,
        retrieved,
        published,
        entities,
        files,
    })
}

/// Download (or copy) every file of the source into the staging directory.
/// From an http(s) mirror, `<base>/<source dir>/<file>` is tried first, and
/// `<base>/<file>` when that answers 404.
fn stage_files(
    src: &Source,
    opts: &FetchOptions,
    origin: &Origin,
    agent: &ureq::Agent,
    staging: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<Vec<ManifestFile>> {
    let mut files = Vec::new();
    for (name, url) in src.files {
        let dest = staging.join(name);
        let staged = match origin {
            Origin::Official => download(agent, url, &dest, opts, src.key, name, log)?,
            Origin::Http(base) => {
                let nested = format!("{base}/{}/{name}", src.dir);
                match download(agent, &nested, &dest, opts, src.key, name, log) {
                    Err(e) if e.not_found => {
                        let flat = format!("{base}/{name}");
                        download(agent, &flat, &dest, opts, src.key, name, log)?
                    }
                    other => other?,
                }
            }
            Origin::Dir(from) => copy_from_dir(from, src, name, &dest)?,
        };
        log(&format!(
            "{}: {name} {} bytes",
            src.key,
            group_digits(staged.bytes)
        ));
        files.push(staged);
    }
    Ok(files)
}

/// A list does not lose half its entries overnight: a file that parses but
/// is cut short, or a changed layout read in part, would. Refused unless
/// `--allow-shrink`.
fn check_shrink(entities: usize, before: Option<usize>, allow_shrink: bool) -> Result<()> {
    if let Some(before) = before
        && entities * SHRINK_FACTOR < before
        && !allow_shrink
    {
        bail!(
            "loaded {entities} entities where the copy it would replace has {before}: a truncated or changed file? (--allow-shrink accepts it)"
        );
    }
    Ok(())
}

/// Move each staged file over its namesake in the source's directory;
/// returns that directory.
fn install(
    src: &Source,
    opts: &FetchOptions,
    staging: &Path,
    files: &[ManifestFile],
) -> Result<PathBuf> {
    let target = opts.dir.join(src.dir);
    std::fs::create_dir_all(&target)
        .with_context(|| format!("{}: cannot create directory", target.display()))?;
    for f in files {
        let from = staging.join(&f.file);
        let to = target.join(&f.file);
        std::fs::rename(&from, &to).with_context(|| {
            format!(
                "{}: cannot move {} into place",
                to.display(),
                from.display()
            )
        })?;
    }
    sync_dir(&target);
    Ok(target)
}

/// Load the staged files: each must load as the format expected of it (an
/// OFAC companion file may be empty), and together they must give at least
/// one entity. Returns the entity count and the publication date.
fn validate(
    src: &Source,
    staging: &Path,
    files: &[ManifestFile],
    log: &mut dyn FnMut(&str),
) -> Result<(usize, Option<String>)> {
    let catalog = lists::load_paths(&[staging.to_path_buf()]).map_err(|e| {
        // The loader names the staged file; name where it came from too.
        let from: Vec<&str> = files.iter().map(|f| f.url.as_str()).collect();
        anyhow::anyhow!("{e:#} (downloaded from {})", from.join(", "))
    })?;
    for f in files {
        check_format(src, staging, f, &catalog, log)?;
    }
    if catalog.entities.is_empty() {
        bail!(
            "{}: the files loaded no entity",
            files
                .iter()
                .map(|f| f.url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(first) = catalog.warnings.first() {
        log(&format!(
            "{}: {} warning(s) while loading, first: {}: {}",
            src.key,
            catalog.warnings.len(),
            first
                .location
                .replace(&staging.display().to_string(), src.dir),
            first.message
        ));
    }
    let published = catalog.files.iter().find_map(|f| f.published.clone());
    Ok((catalog.entities.len(), published))
}

/// One staged file: loaded as the format expected of it, or else an OFAC
/// companion file with no record.
fn check_format(
    src: &Source,
    staging: &Path,
    f: &ManifestFile,
    catalog: &Catalog,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    let path = staging.join(&f.file).display().to_string();
    let expected = expected_format(src.key, &f.file);
    if let Some(l) = catalog.files.iter().find(|l| l.path == path) {
        if let Some(want) = expected
            && !loaded_as(l, want)
        {
            bail!(
                "{}: is a {} file ({}), expected {}",
                f.url,
                l.format,
                l.list,
                want.label()
            );
        }
        return Ok(());
    }
    let companion = matches!(expected, Some(Format::OfacCsv(role)) if role != Role::Primary);
    if companion && is_blank(&staging.join(&f.file))? {
        log(&format!("{}: {} is empty (no records)", src.key, f.file));
        return Ok(());
    }
    let reason = catalog
        .skipped
        .iter()
        .find(|s| s.path == path)
        .map_or("not loaded", |s| s.reason.as_str());
    bail!(
        "{}: {reason} (expected {})",
        f.url,
        expected.map_or("a list file", Format::label)
    );
}

/// Whether a loaded file was read as `format`. A [`ListFile`] records its
/// format by label, which [`Format::label`] gives for each format.
fn loaded_as(file: &ListFile, format: Format) -> bool {
    file.format == format.label()
}

/// True when a file holds nothing but white space and the OFAC end-of-file byte.
fn is_blank(path: &Path) -> Result<bool> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(bytes
        .iter()
        .all(|b| b.is_ascii_whitespace() || *b == OFAC_END_OF_FILE))
}

/// `1234567` as `1,234,567`.
fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_in_groups_of_three() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(3_909_739), "3,909,739");
    }
}
