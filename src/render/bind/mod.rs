//! Binds PDFs this program has written into one: a meeting pack made of
//! the agenda, assessment and minutes already rendered, between pages of
//! its own, without laying out or exporting any of them again.
//!
//! Every part is a tagged PDF/A-2b file from typst. The bound file is one
//! too: the parts' objects are copied as written (content streams, fonts
//! and images byte for byte, references renumbered), their pages go into
//! one page tree, each part's structure tree becomes a `Part` of one
//! `Document` (so a screen reader still reads every part, in order), the
//! parent trees that tie marked content to it are joined with their keys
//! moved along, and their bookmarks become one outline. The catalog,
//! document information and XMP metadata are the first part's, with the
//! page count and instance id of the whole.

pub mod syntax;

use std::collections::{HashMap, HashSet};
use syntax::{Dict, File, Id, Value};

/// One part of a bound document: a PDF and its title, which names its
/// structure element (and its bookmark, where it has none or is renamed).
pub struct Part<'a> {
    pub title: &'a str,
    pub file: File<'a>,
    /// Where its catalog, pages, trees and metadata are, found once.
    layout: Layout,
    /// Whether its one top-level bookmark takes the part's title.
    rename: bool,
}

impl<'a> Part<'a> {
    /// Reads `pdf`, or says why it cannot be bound.
    pub fn read(title: &'a str, pdf: &'a [u8]) -> Result<Part<'a>, String> {
        let file = File::parse(pdf).map_err(|e| format!("{title}: {e}"))?;
        let layout = Layout::of(&file).map_err(|e| format!("{title}: {e}"))?;
        Ok(Part {
            title,
            file,
            layout,
            rename: false,
        })
    }

    /// The part with its title on its first top-level bookmark: minutes
    /// say "Minutes" on their own, which meeting's in a pack.
    pub fn renamed(self) -> Self {
        Part {
            rename: true,
            ..self
        }
    }

    /// How many pages it has.
    pub fn pages(&self) -> usize {
        self.layout.pages.len()
    }

    /// Its top-level bookmarks as the bound file shows them: each title
    /// and the page (from 0) it leads to.
    pub fn bookmarks(&self) -> Result<Vec<(String, usize)>, String> {
        let layout = &self.layout;
        let items = outline_items(&self.file, layout.outline)?;
        if items.is_empty() {
            return Ok(vec![(self.title.to_string(), 0)]);
        }
        items
            .iter()
            .enumerate()
            .map(|(n, &id)| {
                let item = self.file.dict(id)?;
                let title = if self.rename && n == 0 {
                    self.title.to_string()
                } else {
                    match item.get(b"Title") {
                        Some(Value::Str(raw)) => syntax::decode_text(raw).ok_or_else(|| {
                            format!("{}: a bookmark's title is unreadable", self.title)
                        })?,
                        _ => return Err(format!("{}: a bookmark has no title", self.title)),
                    }
                };
                let page = destination(&self.file, item)
                    .and_then(|p| layout.pages.iter().position(|&q| q == p))
                    .ok_or_else(|| format!("{}: a bookmark leads to no page of it", self.title))?;
                Ok((title, page))
            })
            .collect()
    }
}

/// Where a part keeps what binding replaces.
struct Layout {
    catalog: Id,
    pages: Vec<Id>,
    /// The page tree's own nodes (not pages).
    nodes: Vec<Id>,
    struct_root: Id,
    /// The part's `Document` structure element.
    document: Id,
    parent_tree: Vec<(i64, Value<'static>)>,
    next_key: i64,
    /// Structure element ids (table cells name their headers by them).
    ids: Vec<(String, Id)>,
    outline: Option<Id>,
    metadata: Option<Id>,
    info: Option<Id>,
    /// The output intents' objects (kept for the first part only; their
    /// ICC profile is kept for every part: its colour spaces use it too).
    intents: Vec<Id>,
}

impl Layout {
    fn of(file: &File) -> Result<Layout, String> {
        let catalog = file
            .trailer
            .reference(b"Root")
            .ok_or("the trailer names no catalog")?;
        let root = file.dict(catalog)?;
        for unsupported in [b"Names".as_slice(), b"Dests", b"AcroForm", b"PageLabels"] {
            if root.get(unsupported).is_some() {
                return Err(format!(
                    "its catalog has /{}, which binding does not carry over",
                    String::from_utf8_lossy(unsupported)
                ));
            }
        }
        let mut pages = Vec::new();
        let mut nodes = Vec::new();
        let top = root.reference(b"Pages").ok_or("the catalog has no pages")?;
        page_tree(file, top, &mut pages, &mut nodes, 0)?;

        let struct_root = root
            .reference(b"StructTreeRoot")
            .ok_or("it is not tagged (no structure tree)")?;
        let tree = file.dict(struct_root)?;
        let document = match tree.get(b"K") {
            Some(Value::Ref(id)) => *id,
            Some(Value::Array(items)) if items.len() == 1 => match items[0] {
                Value::Ref(id) => id,
                _ => return Err("its structure tree's root is not one element".into()),
            },
            _ => return Err("its structure tree's root is not one element".into()),
        };
        let mut ids = Vec::new();
        if let Some(value) = tree.get(b"IDTree") {
            let names = file.resolve_dict(value)?;
            if names.get(b"Kids").is_some() {
                return Err("its ID tree has kids, which binding does not join".into());
            }
            if let Some(Value::Array(items)) = names.get(b"Names") {
                for pair in items.chunks(2) {
                    match pair {
                        [Value::Str(key), Value::Ref(id)] => ids.push((
                            syntax::decode_text(key).ok_or("an unreadable structure id")?,
                            *id,
                        )),
                        _ => return Err("its ID tree is not string and reference pairs".into()),
                    }
                }
            }
        }
        let parent_tree = match tree.get(b"ParentTree") {
            None => Vec::new(),
            Some(value) => {
                let nums = file.resolve_dict(value)?;
                if nums.get(b"Kids").is_some() {
                    return Err("its parent tree has kids, which binding does not join".into());
                }
                match nums.get(b"Nums") {
                    Some(Value::Array(items)) => items
                        .chunks(2)
                        .map(|pair| match pair {
                            [Value::Int(key), value] => Ok((*key, owned(value)?)),
                            _ => Err("its parent tree is not number and value pairs".to_string()),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err("its parent tree has no /Nums".into()),
                }
            }
        };
        let next_key = tree
            .int(b"ParentTreeNextKey")
            .unwrap_or_else(|| parent_tree.iter().map(|(k, _)| k + 1).max().unwrap_or(0));

        let mut intents = Vec::new();
        let mut list = root.get(b"OutputIntents");
        if let Some(Value::Ref(id)) = list {
            intents.push(*id);
            list = Some(&file.get(*id)?.value);
        }
        if let Some(Value::Array(list)) = list {
            for item in list {
                if let Value::Ref(id) = item {
                    intents.push(*id);
                }
            }
        }
        Ok(Layout {
            catalog,
            pages,
            nodes,
            struct_root,
            document,
            parent_tree,
            next_key,
            ids,
            outline: root.reference(b"Outlines"),
            metadata: root.reference(b"Metadata"),
            info: file.trailer.reference(b"Info"),
            intents,
        })
    }
}

/// A parent tree's value: an array of references or one reference (the
/// only values it holds), with no borrowed bytes.
fn owned(value: &Value) -> Result<Value<'static>, String> {
    match value {
        Value::Ref(id) => Ok(Value::Ref(*id)),
        Value::Null => Ok(Value::Null),
        Value::Array(items) => items
            .iter()
            .map(owned)
            .collect::<Result<_, _>>()
            .map(Value::Array),
        _ => Err("its parent tree holds something other than references".into()),
    }
}

/// Deep enough for any page tree typst writes (it writes one level).
const MAX_TREE_DEPTH: usize = 32;

fn page_tree(
    file: &File,
    id: Id,
    pages: &mut Vec<Id>,
    nodes: &mut Vec<Id>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_TREE_DEPTH {
        return Err("its page tree is too deep".into());
    }
    let node = file.dict(id)?;
    match node.name(b"Type") {
        Some(b"Page") => pages.push(id),
        Some(b"Pages") => {
            nodes.push(id);
            let Some(Value::Array(kids)) = node.get(b"Kids") else {
                return Err("a page tree node has no kids".into());
            };
            for kid in kids {
                let Value::Ref(kid) = kid else {
                    return Err("a page tree kid is not a reference".into());
                };
                page_tree(file, *kid, pages, nodes, depth + 1)?;
            }
        }
        _ => return Err(format!("object {id} in the page tree is not a page")),
    }
    Ok(())
}

/// Numbers for the bound file: each part's kept objects, then the new ones.
struct Numbering {
    maps: Vec<HashMap<Id, Id>>,
    next: Id,
}

impl Numbering {
    fn fresh(&mut self) -> Id {
        self.next += 1;
        self.next
    }
}

/// Stands for an object binding does not copy until it is replaced; one
/// left in a written value is an error.
const DROPPED: Id = 0;

/// A value with its references renumbered (`DROPPED` for objects not kept).
fn renumbered<'a>(value: &Value<'a>, map: &HashMap<Id, Id>) -> Value<'a> {
    match value {
        Value::Ref(id) => Value::Ref(map.get(id).copied().unwrap_or(DROPPED)),
        Value::Array(items) => Value::Array(items.iter().map(|v| renumbered(v, map)).collect()),
        Value::Dict(d) => Value::Dict(Dict(
            d.0.iter().map(|(k, v)| (*k, renumbered(v, map))).collect(),
        )),
        other => other.clone(),
    }
}

fn names_dropped(value: &Value) -> bool {
    match value {
        Value::Ref(id) => *id == DROPPED,
        Value::Array(items) => items.iter().any(names_dropped),
        Value::Dict(d) => d.0.iter().any(|(_, v)| names_dropped(v)),
        _ => false,
    }
}

/// A top-level bookmark of the bound file: one of a part's own, or one
/// made for a part that has none.
#[derive(Clone, Copy)]
enum Bookmark {
    Kept { new: Id, part: usize },
    Made { new: Id, part: usize },
}

impl Bookmark {
    fn id(self) -> Id {
        match self {
            Bookmark::Kept { new, .. } | Bookmark::Made { new, .. } => new,
        }
    }
}

/// The bound PDF of `parts`, in order; the first gives the catalog's
/// settings, the document information and the metadata.
pub fn bind(parts: &[Part]) -> Result<Vec<u8>, String> {
    let first = parts.first().ok_or("nothing to bind")?;

    // What each part keeps: everything but what binding writes anew.
    let mut numbering = Numbering {
        maps: Vec::with_capacity(parts.len()),
        next: 0,
    };
    for (i, part) in parts.iter().enumerate() {
        let layout = &part.layout;
        let mut dropped: HashSet<Id> = [layout.catalog, layout.struct_root]
            .into_iter()
            .chain(layout.nodes.iter().copied())
            .chain(layout.outline)
            .chain(layout.metadata)
            .chain(layout.info)
            .collect();
        if i > 0 {
            dropped.extend(layout.intents.iter().copied());
        }
        let mut map = HashMap::with_capacity(part.file.objects.len());
        for &id in part.file.objects.keys() {
            if !dropped.contains(&id) {
                map.insert(id, numbering.fresh());
            }
        }
        numbering.maps.push(map);
    }
    let catalog = numbering.fresh();
    let page_root = numbering.fresh();
    let struct_root = numbering.fresh();
    let document = numbering.fresh();
    let outline_root = numbering.fresh();
    let info = numbering.fresh();
    let metadata = numbering.fresh();

    // The bookmarks at the top of the bound outline, in order.
    let mut bookmarks = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let items = outline_items(&part.file, part.layout.outline)?;
        if items.is_empty() {
            bookmarks.push(Bookmark::Made {
                new: numbering.fresh(),
                part: i,
            });
        }
        for old in items {
            bookmarks.push(Bookmark::Kept {
                new: kept(&numbering.maps[i], old)?,
                part: i,
            });
        }
    }
    let neighbours: HashMap<Id, (Option<Id>, Option<Id>)> = bookmarks
        .iter()
        .enumerate()
        .map(|(n, b)| {
            let prev = n.checked_sub(1).map(|p| bookmarks[p].id());
            let next = bookmarks.get(n + 1).map(|b| b.id());
            (b.id(), (prev, next))
        })
        .collect();
    let link = |d: &mut Dict, id: Id| {
        d.set(b"Parent", Value::Ref(outline_root));
        d.remove(b"Prev");
        d.remove(b"Next");
        let (prev, next) = neighbours[&id];
        if let Some(prev) = prev {
            d.set(b"Prev", Value::Ref(prev));
        }
        if let Some(next) = next {
            d.set(b"Next", Value::Ref(next));
        }
    };

    let size = parts.iter().map(|p| p.file.bytes).sum::<usize>();
    let mut writer = syntax::Writer::new(first.file.version, size + 4096);
    let mut all_pages = Vec::new();
    let mut parent_tree = Vec::new();
    let mut key_offset = 0i64;
    let mut part_elements = Vec::new();
    let mut ids = Vec::new();
    let mut first_pages = Vec::new();
    let mut open_items = 0i64;

    let mut first_bookmark_of: HashMap<usize, Id> = HashMap::new();
    for b in &bookmarks {
        if let Bookmark::Kept { new, part, .. } = *b {
            first_bookmark_of.entry(part).or_insert(new);
        }
    }
    for (part_index, (part, map)) in parts.iter().zip(&numbering.maps).enumerate() {
        let layout = &part.layout;
        let pages: HashSet<Id> = layout.pages.iter().copied().collect();
        let annotations = annotations_of(&part.file, &layout.pages);
        for (&id, object) in &part.file.objects {
            let Some(&new) = map.get(&id) else { continue };
            let mut value = renumbered(&object.value, map);
            if let Value::Dict(d) = &mut value {
                if pages.contains(&id) {
                    d.set(b"Parent", Value::Ref(page_root));
                    shift(d, b"StructParents", key_offset);
                } else if annotations.contains(&id) {
                    shift(d, b"StructParent", key_offset);
                } else if d.name(b"Type") == Some(b"StructElem") {
                    own_ids(d, part_index);
                }
                if id == layout.document {
                    d.set(b"S", Value::Name(b"Part"));
                    d.set(b"P", Value::Ref(document));
                    d.set(b"T", Value::Text(part.title.to_string()));
                } else if neighbours.contains_key(&new) {
                    link(d, new);
                    if part.rename && Some(&new) == first_bookmark_of.get(&part_index) {
                        d.set(b"Title", Value::Text(part.title.to_string()));
                    }
                    open_items += 1 + d.int(b"Count").filter(|n| *n > 0).unwrap_or(0);
                }
            }
            if names_dropped(&value) {
                return Err(format!(
                    "{}: object {id} refers to an object binding replaces",
                    part.title
                ));
            }
            writer.object(new, &value, object.stream);
        }
        for &page in &layout.pages {
            all_pages.push(kept(map, page)?);
        }
        for (key, value) in &layout.parent_tree {
            parent_tree.push(Value::Int(key + key_offset));
            parent_tree.push(renumbered(value, map));
        }
        key_offset += layout.next_key;
        for (name, id) in &layout.ids {
            ids.push(Value::Text(own_id(part_index, name)));
            ids.push(Value::Ref(map.get(id).copied().unwrap_or(DROPPED)));
        }
        part_elements.push(Value::Ref(kept(map, layout.document)?));
        first_pages.push(kept(
            map,
            *layout.pages.first().ok_or("a part has no pages")?,
        )?);
    }

    // Bookmarks for the parts that had none: the part's title, its first page.
    for bookmark in &bookmarks {
        if let Bookmark::Made { new, part } = *bookmark {
            let mut d = Dict::default();
            d.set(b"Title", Value::Text(parts[part].title.to_string()));
            d.set(
                b"Dest",
                Value::Array(vec![Value::Ref(first_pages[part]), Value::Name(b"Fit")]),
            );
            link(&mut d, new);
            open_items += 1;
            writer.object(new, &Value::Dict(d), None);
        }
    }
    let mut root = Dict::default();
    root.set(b"Type", Value::Name(b"Outlines"));
    if let (Some(head), Some(tail)) = (bookmarks.first(), bookmarks.last()) {
        root.set(b"First", Value::Ref(head.id()));
        root.set(b"Last", Value::Ref(tail.id()));
    }
    root.set(b"Count", Value::Int(open_items));
    writer.object(outline_root, &Value::Dict(root), None);

    // The page tree, the structure tree and its document.
    let mut pages = Dict::default();
    pages.set(b"Type", Value::Name(b"Pages"));
    pages.set(b"Count", Value::Int(all_pages.len() as i64));
    pages.set(
        b"Kids",
        Value::Array(all_pages.iter().map(|&p| Value::Ref(p)).collect()),
    );
    writer.object(page_root, &Value::Dict(pages), None);

    let first_layout = &first.layout;
    let first_map = &numbering.maps[0];
    let mut tree = Dict::default();
    tree.set(b"Type", Value::Name(b"StructTreeRoot"));
    for (i, part) in parts.iter().enumerate() {
        let role_map = part.file.dict(part.layout.struct_root)?.get(b"RoleMap");
        match (tree.get(b"RoleMap"), role_map) {
            (_, None) => {}
            (None, Some(m)) => tree.set(b"RoleMap", renumbered(m, &numbering.maps[i])),
            (Some(have), Some(m)) if have == m => {}
            _ => {
                return Err(format!(
                    "{}: its role map differs from the first part's",
                    part.title
                ));
            }
        }
    }
    tree.set(b"K", Value::Ref(document));
    tree.set(
        b"ParentTree",
        Value::Dict(Dict(vec![(b"Nums".as_slice(), Value::Array(parent_tree))])),
    );
    tree.set(b"ParentTreeNextKey", Value::Int(key_offset));
    if !ids.is_empty() {
        if names_dropped(&Value::Array(ids.clone())) {
            return Err("an ID tree names an element binding does not copy".into());
        }
        tree.set(
            b"IDTree",
            Value::Dict(Dict(vec![(b"Names".as_slice(), Value::Array(ids))])),
        );
    }
    writer.object(struct_root, &Value::Dict(tree), None);

    let mut element = Dict::default();
    element.set(b"Type", Value::Name(b"StructElem"));
    element.set(b"S", Value::Name(b"Document"));
    element.set(b"P", Value::Ref(struct_root));
    element.set(b"K", Value::Array(part_elements));
    writer.object(document, &Value::Dict(element), None);

    // The first part's catalog, information and metadata, for the whole.
    let mut root = renumbered(
        &Value::Dict(first.file.dict(first_layout.catalog)?.clone()),
        first_map,
    );
    if let Value::Dict(d) = &mut root {
        d.set(b"Pages", Value::Ref(page_root));
        d.set(b"StructTreeRoot", Value::Ref(struct_root));
        d.set(b"Outlines", Value::Ref(outline_root));
        if first_layout.metadata.is_some() {
            d.set(b"Metadata", Value::Ref(metadata));
        }
    }
    if names_dropped(&root) {
        return Err("the first part's catalog refers to an object binding replaces".into());
    }
    writer.object(catalog, &root, None);

    let instance = instance_id(parts);
    if let Some(id) = first_layout.info {
        let value = renumbered(&first.file.get(id)?.value, first_map);
        writer.object(info, &value, None);
    }
    if let Some(id) = first_layout.metadata {
        let object = first.file.get(id)?;
        let xmp = object.stream.ok_or("the metadata is not a stream")?;
        let old_instance = old_instance_id(&first.file);
        let xmp = rewrite_xmp(xmp, all_pages.len(), old_instance.as_deref(), &instance)?;
        let mut dict = object
            .dict()
            .ok_or("the metadata has no dictionary")?
            .clone();
        if dict.get(b"Filter").is_some() {
            return Err("the metadata stream is compressed".into());
        }
        dict.set(b"Length", Value::Int(xmp.len() as i64));
        writer.object(metadata, &Value::Dict(dict), Some(&xmp));
    }

    let mut trailer = Dict::default();
    trailer.set(b"Size", Value::Int(i64::from(numbering.next) + 1));
    trailer.set(b"Root", Value::Ref(catalog));
    if first_layout.info.is_some() {
        trailer.set(b"Info", Value::Ref(info));
    }
    if let Some(Value::Array(ids)) = first.file.trailer.get(b"ID")
        && let Some(document_id) = ids.first()
    {
        trailer.set(
            b"ID",
            Value::Array(vec![document_id.clone(), Value::Text(instance.clone())]),
        );
    }
    Ok(writer.finish(&Value::Dict(trailer)))
}

/// A structure element id made unique to its part. Fixed-width part
/// numbers keep the ID tree's keys in order when the parts' are joined.
fn own_id(part: usize, id: &str) -> String {
    format!("p{part:03}.{id}")
}

/// Gives a structure element's `/ID`, and the header ids its table cell
/// attributes name, its part's prefix.
fn own_ids(element: &mut Dict, part: usize) {
    let rename = |value: &mut Value| {
        if let Value::Str(raw) = value
            && let Some(id) = syntax::decode_text(raw)
        {
            *value = Value::Text(own_id(part, &id));
        }
    };
    if let Some(id) = element.get_mut(b"ID") {
        rename(id);
    }
    let mut attributes: Vec<&mut Dict> = match element.get_mut(b"A") {
        Some(Value::Dict(d)) => vec![d],
        Some(Value::Array(items)) => items
            .iter_mut()
            .filter_map(|v| match v {
                Value::Dict(d) => Some(d),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for attribute in &mut attributes {
        if let Some(Value::Array(headers)) = attribute.get_mut(b"Headers") {
            headers.iter_mut().for_each(rename);
        }
    }
}

/// The new number of an object the part keeps; a page, element or
/// bookmark that is also one of the objects binding replaces is a damaged
/// file, not a reason to panic.
fn kept(map: &HashMap<Id, Id>, id: Id) -> Result<Id, String> {
    map.get(&id)
        .copied()
        .ok_or_else(|| format!("object {id} is both kept and replaced"))
}

/// Adds `offset` to an integer entry.
fn shift(dict: &mut Dict, key: &[u8], offset: i64) {
    if let Some(Value::Int(n)) = dict.get_mut(key) {
        *n += offset;
    }
}

/// The annotations of the pages (they may carry `/StructParent`).
fn annotations_of(file: &File, pages: &[Id]) -> HashSet<Id> {
    let mut out = HashSet::new();
    for &page in pages {
        if let Ok(d) = file.dict(page)
            && let Some(Value::Array(items)) = d.get(b"Annots")
        {
            out.extend(items.iter().filter_map(|v| match v {
                Value::Ref(id) => Some(*id),
                _ => None,
            }));
        }
    }
    out
}

/// The page a bookmark leads to: its `/Dest` or its go-to action's.
fn destination(file: &File, item: &Dict) -> Option<Id> {
    let dest = match item.get(b"Dest") {
        Some(dest) => dest,
        None => {
            let action = file.resolve_dict(item.get(b"A")?).ok()?;
            action.get(b"D")?
        }
    };
    let dest = match dest {
        Value::Ref(id) => &file.get(*id).ok()?.value,
        direct => direct,
    };
    match dest {
        Value::Array(items) => match items.first()? {
            Value::Ref(page) => Some(*page),
            _ => None,
        },
        _ => None,
    }
}

/// The top-level bookmarks of a part, in order.
fn outline_items(file: &File, root: Option<Id>) -> Result<Vec<Id>, String> {
    let Some(root) = root else {
        return Ok(Vec::new());
    };
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    let mut next = file.dict(root)?.reference(b"First");
    while let Some(id) = next {
        if !seen.insert(id) {
            return Err("its outline loops".into());
        }
        items.push(id);
        next = file.dict(id)?.reference(b"Next");
    }
    Ok(items)
}

/// The instance id of the bound file: a hash of its parts.
fn instance_id(parts: &[Part]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.title.as_bytes());
        if let Some(Value::Array(ids)) = part.file.trailer.get(b"ID") {
            for id in ids {
                let mut out = Vec::new();
                syntax::write(&mut out, id, &|i| i);
                hash.update(&out);
            }
        }
    }
    let digest = hash.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn old_instance_id(file: &File) -> Option<String> {
    let Some(Value::Array(ids)) = file.trailer.get(b"ID") else {
        return None;
    };
    match ids.get(1) {
        Some(Value::Str(raw)) => syntax::decode_text(raw),
        _ => None,
    }
}

/// The first part's XMP with the bound file's page count and instance id.
fn rewrite_xmp(
    xmp: &[u8],
    pages: usize,
    old_instance: Option<&str>,
    instance: &str,
) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(xmp).map_err(|_| "the metadata is not UTF-8")?;
    let mut text = replace_element(text, "xmpTPg:NPages", &pages.to_string());
    if let Some(old) = old_instance {
        text = text.replace(old, instance);
    }
    Ok(text.into_bytes())
}

/// `<name>old</name>` with `value` in place of `old`.
fn replace_element(text: &str, name: &str, value: &str) -> String {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    match (text.find(&open), text.find(&close)) {
        (Some(a), Some(b)) if a + open.len() <= b => {
            format!("{}{value}{}", &text[..a + open.len()], &text[b..])
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::{PdfDocument, PdfEngine};
    use std::sync::LazyLock;

    static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);

    /// A tagged PDF/A document of `pages` pages, each with a heading and
    /// a table (whose header cells are named by structure ids).
    fn document(title: &str, pages: usize) -> Vec<u8> {
        let main = format!(
            r#"#set text(lang: "en")
#for i in range(1, {pages} + 1) {{
  if i > 1 {{ pagebreak() }}
  heading(level: 1)[{title} part #i]
  heading(level: 2)[Detail]
  table(columns: 2, table.header[Who][What], [A], [B], [C], [D])
  link("https://example.org")[a link]
}}"#
        );
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        ENGINE
            .compile(&PdfDocument::new(&main, b"{}", title, day))
            .expect("renders")
    }

    fn dict<'a>(file: &'a File, id: Id) -> &'a Dict<'a> {
        file.dict(id).expect("a dictionary")
    }

    #[test]
    fn bound_parts_keep_their_pages_structure_ids_and_bookmarks() {
        let (a, b, c) = (
            document("Cover", 1),
            document("Agenda", 2),
            document("Minutes", 1),
        );
        let parts = vec![
            Part::read("Cover", &a).unwrap(),
            Part::read("Agenda", &b).unwrap(),
            Part::read("Minutes: review, 1 December 2026", &c)
                .unwrap()
                .renamed(),
        ];
        let bound = bind(&parts).unwrap();
        let file = File::parse(&bound).unwrap();
        let root = dict(&file, file.trailer.reference(b"Root").unwrap());

        // One page tree of every page, in order, each pointing at it.
        let tree = root.reference(b"Pages").unwrap();
        let Some(Value::Array(kids)) = dict(&file, tree).get(b"Kids") else {
            panic!("no kids")
        };
        assert_eq!(kids.len(), 4);
        let pages: Vec<Id> = kids
            .iter()
            .map(|k| match k {
                Value::Ref(id) => *id,
                _ => panic!("not a reference"),
            })
            .collect();
        for &p in &pages {
            assert_eq!(dict(&file, p).reference(b"Parent"), Some(tree));
        }

        // Each page's marked content has its own parent tree entry.
        let struct_root = root.reference(b"StructTreeRoot").unwrap();
        let tree_root = dict(&file, struct_root);
        let Some(Value::Dict(parent_tree)) = tree_root.get(b"ParentTree") else {
            panic!("no parent tree")
        };
        let Some(Value::Array(nums)) = parent_tree.get(b"Nums") else {
            panic!("no nums")
        };
        let keys: Vec<i64> = nums
            .chunks(2)
            .map(|pair| match pair[0] {
                Value::Int(k) => k,
                _ => panic!("not a key"),
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "keys in order: {keys:?}"
        );
        let next = tree_root.int(b"ParentTreeNextKey").unwrap();
        assert!(keys.iter().all(|&k| k < next));
        let page_keys: Vec<i64> = pages
            .iter()
            .map(|&p| dict(&file, p).int(b"StructParents").unwrap())
            .collect();
        assert!(page_keys.iter().all(|k| keys.contains(k)), "{page_keys:?}");
        let mut unique = page_keys.clone();
        unique.dedup();
        assert_eq!(unique.len(), 4);

        // One Document of three Parts, every element's parent its parent.
        let document = tree_root.reference(b"K").unwrap();
        let d = dict(&file, document);
        assert_eq!(d.name(b"S"), Some(b"Document".as_slice()));
        let Some(Value::Array(part_refs)) = d.get(b"K") else {
            panic!("no parts")
        };
        assert_eq!(part_refs.len(), 3);
        let mut stack: Vec<(Id, Id)> = part_refs
            .iter()
            .map(|v| match v {
                Value::Ref(id) => (*id, document),
                _ => panic!("not a reference"),
            })
            .collect();
        let mut elements = 0;
        let mut headers = Vec::new();
        while let Some((id, parent)) = stack.pop() {
            let e = dict(&file, id);
            assert_eq!(e.reference(b"P"), Some(parent), "element {id}");
            elements += 1;
            if let Some(Value::Str(raw)) = e.get(b"ID") {
                headers.push(syntax::decode_text(raw).expect("an id"));
            }
            if let Some(Value::Array(kids)) = e.get(b"K") {
                for kid in kids {
                    if let Value::Ref(k) = kid
                        && file
                            .dict(*k)
                            .is_ok_and(|k| k.name(b"Type") == Some(b"StructElem"))
                    {
                        stack.push((*k, id));
                    }
                }
            }
        }
        assert!(elements > 20, "{elements} elements");
        // Table header ids are unique to their part and in the ID tree.
        assert!(headers.iter().any(|h| h.starts_with("p000.")));
        assert!(headers.iter().any(|h| h.starts_with("p002.")));
        let mut sorted = headers.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), headers.len(), "ids collide: {headers:?}");

        // Bookmarks: every part's, in order, the minutes renamed.
        let marks: Vec<(String, usize)> = Part::read("Pack", &bound).unwrap().bookmarks().unwrap();
        assert_eq!(
            marks,
            vec![
                ("Cover part 1".to_string(), 0),
                ("Agenda part 1".to_string(), 1),
                ("Agenda part 2".to_string(), 2),
                ("Minutes: review, 1 December 2026".to_string(), 3),
            ]
        );
        assert_eq!(Part::read("Pack", &bound).unwrap().pages(), 4);

        // The first part's metadata, with the whole's page count.
        let xmp = String::from_utf8_lossy(&bound);
        assert!(xmp.contains("<xmpTPg:NPages>4</xmpTPg:NPages>"));
        assert!(xmp.contains("pdfaid:part"));
        // Its instance id is the bound file's, in the XMP and the trailer.
        let instance = old_instance_id(&file).expect("an instance id");
        assert!(xmp.contains(&format!("<xmpMM:InstanceID>{instance}</xmpMM:InstanceID>")));
        assert_ne!(old_instance_id(&parts[0].file), Some(instance));
        // Binding the same parts again gives the same bytes.
        assert_eq!(bind(&parts).unwrap(), bound);
    }

    /// Damaged files (bytes changed, or cut short) are errors, never panics.
    #[test]
    fn damaged_parts_never_panic() {
        let good = document("Agenda", 2);
        let mut rng = crate::test_rng::Rng::new(0x2545_f491);
        let mut bound = 0;
        for round in 0..400 {
            let mut bytes = good.clone();
            if round % 4 == 0 {
                bytes.truncate(rng.below(good.len()));
            } else {
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(bytes.len());
                    let noise = b"0123456789 /<>[]()R\nobj";
                    bytes[at] = noise[rng.below(noise.len())];
                }
            }
            if let Ok(part) = Part::read("Damaged", &bytes) {
                let _ = part.pages();
                let _ = part.bookmarks();
                if bind(&[part]).is_ok() {
                    bound += 1;
                }
            }
        }
        // Most changes land in stream data, which binding copies as it is.
        assert!(bound > 0);
    }

    #[test]
    fn a_part_that_is_not_a_pdf_from_typst_is_refused_with_a_reason() {
        let good = document("Agenda", 1);
        let cut = &good[..good.len() / 2];
        assert!(Part::read("Cut", cut).is_err());
        assert!(Part::read("Text", b"not a PDF").is_err());
        let mut damaged = good.clone();
        // The cross-reference table pointing elsewhere.
        let at = damaged.windows(9).rposition(|w| w == b"startxref").unwrap();
        damaged.truncate(at);
        damaged.extend_from_slice(b"startxref\n12\n%%EOF");
        let err = Part::read("Damaged", &damaged).map(|_| ()).unwrap_err();
        assert!(err.starts_with("Damaged: "), "{err}");
        assert!(bind(&[]).is_err());
    }
}
