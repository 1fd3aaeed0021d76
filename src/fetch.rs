//! `sanctions fetch`: download the official list files into a lists
//! directory, check that each parses before it replaces the last good copy,
//! and record what was fetched in a manifest (`lists.json`).
