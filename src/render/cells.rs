//! Narrow screens: every cell of a table's body carries its column's heading
//! as `data-label`, so that at 390 px the stylesheet can stack each row into
//! a card and still say what each value is ("Due", "Owner"), without
//! JavaScript and without asking every template to repeat its headings.
//!
//! The pages are contextpack's own output: record text in them is escaped,
//! so a `<` always starts a tag. A table this does not understand (nested,
//! or with cells spanning columns) is left exactly as it was.

use std::borrow::Cow;

/// `html` with the body cells of each simple table labelled.
pub fn label_cells(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(start) = rest.find("<table") {
        let Some(len) = rest[start..].find("</table>") else {
            break;
        };
        let end = start + len + "</table>".len();
        out.push_str(&rest[..start]);
        out.push_str(&label_table(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn label_table(table: &str) -> Cow<'_, str> {
    let simple = !table[1..].contains("<table")
        && !table.contains("colspan")
        && !table.contains("rowspan")
        && !table.contains("data-label");
    let (Some(head), Some(head_end)) = (table.find("<thead"), table.find("</thead>")) else {
        return table.into();
    };
    if !simple {
        return table.into();
    }
    let headings: Vec<String> = cells(&table[head..head_end]).map(text_of).collect();
    let mut out = String::with_capacity(table.len() * 5 / 4);
    out.push_str(&table[..head_end]);
    let mut column = 0;
    let mut at = head_end;
    while let Some(offset) = table[at..].find('<') {
        let tag = at + offset;
        out.push_str(&table[at..tag]);
        let name = tag_name(&table[tag + 1..]);
        if name == "tr" {
            column = 0;
        }
        if (name == "td" || name == "th")
            && let Some(close) = table[tag..].find('>')
        {
            // After the attributes as written, so `<td class="num"` stays.
            out.push_str(&table[tag..tag + close]);
            if let Some(label) = headings.get(column).filter(|l| !l.is_empty()) {
                out.push_str(" data-label=\"");
                out.push_str(label);
                out.push('"');
            }
            column += 1;
            at = tag + close;
        } else {
            out.push('<');
            at = tag + 1;
        }
    }
    out.push_str(&table[at..]);
    out.into()
}

/// The name of the tag that `after_lt` opens, lower case as we write them
/// ("" for a closing tag or a comment).
fn tag_name(after_lt: &str) -> &str {
    let end = after_lt
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after_lt.len());
    &after_lt[..end]
}

/// The inner HTML of each `<th>` or `<td>` in `html`.
fn cells(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('<')?;
            let name = tag_name(&rest[open + 1..]);
            let tag_end = open + rest[open..].find('>')? + 1;
            if name == "th" || name == "td" {
                let close = rest[tag_end..].find(&format!("</{name}>"))?;
                let inner = &rest[tag_end..tag_end + close];
                rest = &rest[tag_end + close..];
                return Some(inner);
            }
            rest = &rest[tag_end..];
        }
    })
}

/// A heading's text without its tags, spaces collapsed; entities stay as
/// written, which an attribute value takes as they are.
fn text_of(inner: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '"' if !in_tag => text.push_str("&quot;"),
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::label_cells;

    #[test]
    fn body_cells_take_their_column_heading() {
        let html = "<p>x</p><table><caption>C</caption><thead><tr><th scope=\"col\">Due <span>date</span></th><th>Owner</th></tr></thead>\
                    <tbody><tr><th scope=\"row\">1 Dec</th><td>Jo &amp; Sam</td></tr><tr><td>2</td><td>3</td></tr></tbody></table><p>y</p>";
        assert_eq!(
            label_cells(html),
            "<p>x</p><table><caption>C</caption><thead><tr><th scope=\"col\">Due <span>date</span></th><th>Owner</th></tr></thead>\
             <tbody><tr><th scope=\"row\" data-label=\"Due date\">1 Dec</th><td data-label=\"Owner\">Jo &amp; Sam</td></tr>\
             <tr><td data-label=\"Due date\">2</td><td data-label=\"Owner\">3</td></tr></tbody></table><p>y</p>"
        );
    }

    #[test]
    fn tables_it_does_not_understand_are_left_alone() {
        for html in [
            "<table><tbody><tr><td>no head</td></tr></tbody></table>",
            "<table><thead><tr><th colspan=\"2\">A</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
            "<table><thead><tr><th>A</th></tr></thead>",
            "no table at all <tr><td>",
        ] {
            assert_eq!(label_cells(html), html);
        }
    }

    #[test]
    fn thead_and_time_tags_are_not_taken_for_cells() {
        let html = "<table><thead><tr><th>When</th></tr></thead><tbody><tr><td><time datetime=\"x\">1</time></td></tr></tbody></table>";
        assert!(
            label_cells(html)
                .contains("<td data-label=\"When\"><time datetime=\"x\">1</time></td>")
        );
    }
}
