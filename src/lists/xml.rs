//! A small element tree for the list formats that are easiest read whole
//! (UN, Canada, EU). Elements are named by local name (namespaces differ
//! between releases); only XML's predefined entities and character
//! references are expanded, never DTD entities, so an entity bomb is an error.

use super::util::strip_bom;
use super::{LineIndex, Source};
use anyhow::{Result, bail};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One element.
#[derive(Debug, Default, Clone)]
pub struct Node {
    /// Local name.
    pub name: String,
    /// Attributes by local name, unescaped.
    pub attrs: Vec<(String, String)>,
    /// Text content directly inside the element, trimmed.
    pub text: String,
    /// Child elements, in order.
    pub children: Vec<Node>,
    /// 1-based line of the start tag.
    pub line: u64,
}

impl Node {
    /// Children with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Text of the first child with this name, or empty.
    pub fn text_of(&self, name: &str) -> &str {
        self.child(name).map(|c| c.text.as_str()).unwrap_or("")
    }

    /// An attribute's value, or empty.
    pub fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// The character an entity reference stands for: a character reference or
/// one of XML's five predefined entities; `None` for any other entity, which
/// is never expanded.
pub fn resolve_ref(r: &quick_xml::events::BytesRef) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => match r.as_ref() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
    }
}

/// Deepest nesting accepted (list files nest a handful of levels).
const MAX_DEPTH: usize = 64;

fn start_node(e: &BytesStart, line: u64, src: &Source) -> Result<Node> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = match a {
            Ok(a) => a,
            Err(err) => bail!("{}:{line}: bad attribute: {err}", src.name),
        };
        let key = a.key.local_name().as_ref().to_string();
        let raw: &str = a.value.as_ref();
        attrs.push((key, unescape(raw)));
    }
    Ok(Node {
        name: e.local_name().as_ref().to_string(),
        attrs,
        line,
        ..Node::default()
    })
}

/// Unescape XML's predefined entities and character references in an attribute value.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = &after[..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&rest[i..i + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Parse a whole XML file into its root element.
pub fn parse(src: &Source) -> Result<Node> {
    let bytes = strip_bom(&src.bytes);
    let lines = LineIndex::new(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => bail!(
            "{}:{}: not valid UTF-8",
            src.name,
            lines.line_at(e.valid_up_to() as u64)
        ),
    };
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => bail!(
                "{}:{}: malformed XML: {e}",
                src.name,
                lines.line_at(reader.error_position())
            ),
        };
        let here = || lines.line_at(reader.buffer_position().saturating_sub(1));
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    bail!("{}:{}: elements nested too deeply", src.name, here());
                }
                stack.push(start_node(&e, here(), src)?);
            }
            Event::Empty(e) => {
                let node = start_node(&e, here(), src)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = resolve_ref(&r);
                match (c, stack.last_mut()) {
                    (Some(c), Some(n)) => n.text.push(c),
                    (Some(_), None) => {}
                    (None, _) => bail!(
                        "{}:{}: entity reference &{}; is not expanded (only XML's predefined entities are)",
                        src.name,
                        here(),
                        r.as_ref()
                    ),
                }
            }
            Event::End(_) => {
                let Some(mut node) = stack.pop() else { break };
                node.text = node.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        bail!(
            "{}:{}: truncated XML: <{}> (line {}) is not closed",
            src.name,
            lines.line_at(bytes.len() as u64),
            open.name,
            open.line
        );
    }
    match root {
        Some(r) => Ok(r),
        None => bail!("{}:1: no XML element", src.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(t: &str) -> Source {
        Source {
            name: "f.xml".into(),
            bytes: t.as_bytes().to_vec(),
        }
    }

    #[test]
    fn parses_names_attrs_text_and_lines() {
        let r = parse(&src("<?xml version=\"1.0\"?>\n<a:root xmlns:a=\"u\" k=\"x &amp; y\">\n <b>one &amp; two</b>\n <c/>\n</a:root>")).unwrap();
        assert_eq!(r.name, "root");
        assert_eq!(r.attr("k"), "x & y");
        assert_eq!(r.text_of("b"), "one & two");
        assert_eq!(r.child("b").unwrap().line, 3);
        assert!(r.child("c").is_some());
    }

    #[test]
    fn truncated_and_bombs_are_errors_with_lines() {
        let e = parse(&src("<a>\n<b>\n")).unwrap_err().to_string();
        assert!(e.starts_with("f.xml:"), "{e}");
        let bomb = "<!DOCTYPE a [<!ENTITY x \"xxxx\">]>\n<a>&x;</a>";
        let e = parse(&src(bomb)).unwrap_err().to_string();
        assert!(
            e.contains("f.xml:2: entity reference &x; is not expanded"),
            "{e}"
        );
        let deep = "<a>".repeat(100);
        assert!(
            parse(&src(&deep))
                .unwrap_err()
                .to_string()
                .contains("nested too deeply")
        );
    }
}
