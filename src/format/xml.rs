//! Shared XML helpers for the news XML readers (NITF, NewsML-G2): root sniffing, a small
//! element tree, entity resolution and paragraph/entity collection from marked-up text.
//!
//! Built on quick-xml, which never expands entities declared in a DTD.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Elements nested deeper than this are refused: no real news document comes close.
const MAX_DEPTH: usize = 256;

/// The local name of the root element, skipping the declaration, comments, processing
/// instructions and a doctype. `None` when the text does not start like XML.
pub fn root_name(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    for _ in 0..256 {
        match reader.read_event().ok()? {
            Event::Start(start) | Event::Empty(start) => {
                return Some(local_name(start.name().as_ref()));
            }
            Event::Text(content) if content.iter().all(u8::is_ascii_whitespace) => {}
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            _ => return None,
        }
    }
    None
}

/// An XML element: local name, attributes by local name, children in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Attributes, local names, values unescaped.
    pub attributes: Vec<(String, String)>,
    /// Child elements and text.
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A nested element.
    Element(Element),
    /// Character data (entities resolved).
    Text(String),
}

/// A parsed document: the root element, and whether the input ended before it was closed.
#[derive(Debug)]
pub struct Document {
    /// The root element.
    pub root: Element,
    /// The file ended with elements still open (they were closed where it ended).
    pub truncated: bool,
}

/// Parses a whole document into a tree. Syntax errors are `Err`; a document cut off
/// before its end is kept as far as it goes, with `truncated` set.
pub fn parse(text: &str) -> Result<Document, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|error| {
            format!("invalid xml at byte {}: {error}", reader.buffer_position())
        })?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    break;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err("xml nested too deeply".to_string());
                }
                stack.push(element(&start));
            }
            Event::Empty(start) => {
                let empty = element(&start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(empty)),
                    None if root.is_none() => root = Some(empty),
                    None => break,
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err("unbalanced xml".to_string());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => root = Some(done),
                }
            }
            Event::Text(content) => {
                let decoded = content
                    .decode()
                    .map_err(|error| format!("invalid xml text: {error}"))?;
                push_text(&mut stack, &decoded);
            }
            Event::GeneralRef(reference) => {
                let name = reference
                    .decode()
                    .map_err(|error| format!("invalid xml entity: {error}"))?;
                push_text(&mut stack, &resolve_entity(&name));
            }
            Event::CData(content) => {
                push_text(&mut stack, &String::from_utf8_lossy(&content.into_inner()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let truncated = !stack.is_empty();
    while let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(done)),
            None => root = Some(done),
        }
    }
    let root = root.ok_or_else(|| "no xml root element".to_string())?;
    Ok(Document { root, truncated })
}

fn push_text(stack: &mut [Element], text: &str) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    if let Some(Node::Text(previous)) = parent.children.last_mut() {
        previous.push_str(text);
    } else {
        parent.children.push(Node::Text(text.to_string()));
    }
}

fn element(start: &BytesStart) -> Element {
    let attributes = start
        .attributes()
        .flatten()
        .map(|attribute| {
            let value = attribute
                .unescape_value()
                .map(|value| value.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&attribute.value).into_owned());
            (local_name(attribute.key.as_ref()), value)
        })
        .collect();
    Element {
        name: local_name(start.name().as_ref()),
        attributes,
        children: Vec::new(),
    }
}

impl Element {
    /// An attribute's value by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.name == name)
    }

    /// The first element with this local name below this one, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        let mut pending: Vec<&Element> = self.elements().collect();
        pending.reverse();
        while let Some(element) = pending.pop() {
            if element.name == name {
                return Some(element);
            }
            let start = pending.len();
            pending.extend(element.elements());
            pending[start..].reverse();
        }
        None
    }

    /// Every element with this local name below this one, in document order (not nested in
    /// each other's results).
    pub fn find_all(&self, name: &str) -> Vec<&Element> {
        let mut found = Vec::new();
        let mut pending: Vec<&Element> = self.elements().collect();
        pending.reverse();
        while let Some(element) = pending.pop() {
            if element.name == name {
                found.push(element);
                continue;
            }
            let start = pending.len();
            pending.extend(element.elements());
            pending[start..].reverse();
        }
        found
    }

    /// All text below this element, whitespace collapsed to single spaces and trimmed.
    pub fn text(&self) -> String {
        let mut raw = String::new();
        let mut pending: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = pending.pop() {
            match node {
                Node::Text(text) => raw.push_str(text),
                Node::Element(element) => pending.extend(element.children.iter().rev()),
            }
        }
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The trimmed text of the first descendant with this name, when not empty.
    pub fn find_text(&self, name: &str) -> Option<String> {
        let text = self.find(name)?.text();
        (!text.is_empty()).then_some(text)
    }
}

/// Elements whose start and end separate paragraphs.
const BLOCKS: [&str; 20] = [
    "p",
    "hl1",
    "hl2",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "block",
    "blockquote",
    "div",
    "pre",
    "tr",
    "table",
    "ul",
    "ol",
    "section",
    "nitf-table",
];

/// Elements whose text is never body text.
const SKIPPED: [&str; 6] = [
    "media",
    "script",
    "style",
    "head",
    "table-reference",
    "note",
];

/// Paragraphs and marked-up names collected from a body element.
#[derive(Debug, Default)]
pub struct Marked {
    /// Paragraphs, whitespace collapsed.
    pub paragraphs: Vec<String>,
    /// Text of `<person>` elements.
    pub people: Vec<String>,
    /// Places: `<country>`, `<city>`, `<state>`, `<region>`, or a `<location>` without those.
    pub places: Vec<String>,
    /// Text of `<org>` elements.
    pub orgs: Vec<String>,
}

/// Collects the paragraphs of `body` and the names marked up inside it (NITF inline
/// tags `<person>`, `<location>`, `<org>`), in document order.
pub fn collect_marked(body: &Element) -> Marked {
    let mut marked = Marked::default();
    let mut paragraph = String::new();
    // (node, entering); an iterative walk, so deep documents cannot overflow the stack.
    let mut pending: Vec<(&Node, bool)> = Vec::new();
    for child in body.children.iter().rev() {
        pending.push((child, true));
    }
    while let Some((node, entering)) = pending.pop() {
        let element = match node {
            Node::Text(text) => {
                paragraph.push_str(text);
                continue;
            }
            Node::Element(element) => element,
        };
        let name = element.name.as_str();
        if BLOCKS.contains(&name) {
            flush(&mut paragraph, &mut marked.paragraphs);
        }
        if !entering || SKIPPED.contains(&name) {
            continue;
        }
        match name {
            "person" => marked.people.push(element.text()),
            "org" => marked.orgs.push(element.text()),
            "country" | "city" | "state" | "region" => marked.places.push(element.text()),
            "location" => {
                let has_parts = ["country", "city", "state", "region"]
                    .iter()
                    .any(|part| element.find(part).is_some());
                if !has_parts {
                    marked.places.push(element.text());
                }
            }
            _ => {}
        }
        pending.push((node, false));
        for child in element.children.iter().rev() {
            pending.push((child, true));
        }
    }
    flush(&mut paragraph, &mut marked.paragraphs);
    for list in [&mut marked.people, &mut marked.places, &mut marked.orgs] {
        list.retain(|name| !name.is_empty());
    }
    marked
}

fn flush(paragraph: &mut String, paragraphs: &mut Vec<String>) {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        paragraphs.push(text);
    }
    paragraph.clear();
}

/// The local part of a qualified name ("dc:creator" -> "creator").
pub fn local_name(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or("").to_string()
}

/// The five XML entities, numeric references and the HTML entities news XML uses most;
/// anything else (a DTD entity) stays as written, never expanded.
pub fn resolve_entity(name: &str) -> String {
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        "mdash" => Some('\u{2014}'),
        "ndash" => Some('\u{2013}'),
        "lsquo" => Some('\u{2018}'),
        "rsquo" => Some('\u{2019}'),
        "ldquo" => Some('\u{201c}'),
        "rdquo" => Some('\u{201d}'),
        "hellip" => Some('\u{2026}'),
        "pound" => Some('\u{a3}'),
        "euro" => Some('\u{20ac}'),
        _ => None,
    };
    if let Some(character) = named {
        return character.to_string();
    }
    let number = name
        .strip_prefix("#x")
        .or_else(|| name.strip_prefix("#X"))
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .or_else(|| {
            name.strip_prefix('#')
                .and_then(|decimal| decimal.parse().ok())
        });
    match number.and_then(char::from_u32) {
        Some(character) => character.to_string(),
        None => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_sniffed_past_prolog() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<!DOCTYPE nitf SYSTEM \"nitf.dtd\">\n<!-- c -->\n<nitf version=\"3.6\"><head/></nitf>";
        assert_eq!(
            root_name(text.trim_start_matches('\u{feff}')).as_deref(),
            Some("nitf")
        );
        assert_eq!(
            root_name("<g2:newsItem xmlns:g2=\"x\"/>").as_deref(),
            Some("newsItem")
        );
        assert_eq!(root_name("plain text"), None);
        assert_eq!(root_name(""), None);
    }

    #[test]
    fn tree_text_and_lookups() {
        let document =
            parse("<a x=\"1 &amp; 2\"><b>one <i>two</i></b><c/><b>three&#233;</b></a>").unwrap();
        assert!(!document.truncated);
        let root = document.root;
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        assert_eq!(root.text(), "one twothree\u{e9}");
        assert_eq!(root.find_all("b").len(), 2);
        assert_eq!(root.find_text("i").as_deref(), Some("two"));
        assert!(root.child("c").is_some());
    }

    #[test]
    fn broken_documents_never_panic() {
        let cut = parse("<nitf><body><p>Half a sente").unwrap();
        assert!(cut.truncated);
        assert_eq!(cut.root.text(), "Half a sente");
        assert!(parse("<a><b></a>").unwrap_err().starts_with("invalid xml"));
        assert_eq!(parse("").unwrap_err(), "no xml root element");
        let deep = format!("{}x{}", "<d>".repeat(300), "</d>".repeat(300));
        assert_eq!(parse(&deep).unwrap_err(), "xml nested too deeply");
        let laughs = "<!DOCTYPE a [<!ENTITY l \"lol\">]><a>&l;&mdash;</a>";
        assert_eq!(parse(laughs).unwrap().root.text(), "&l;\u{2014}");
    }

    #[test]
    fn marked_names_and_paragraphs() {
        let body = parse("<body.content><p>Talks in <location><city>Nairobi</city>, <country>Kenya</country></location> with <person>Amina Odhiambo</person> of <org>UNICEF</org>.</p><media><media-caption>Photo</media-caption></media><p>Second <location>Mombasa</location>.</p></body.content>").unwrap().root;
        let marked = collect_marked(&body);
        assert_eq!(
            marked.paragraphs,
            [
                "Talks in Nairobi, Kenya with Amina Odhiambo of UNICEF.",
                "Second Mombasa."
            ]
        );
        assert_eq!(marked.people, ["Amina Odhiambo"]);
        assert_eq!(marked.places, ["Nairobi", "Kenya", "Mombasa"]);
        assert_eq!(marked.orgs, ["UNICEF"]);
    }
}
