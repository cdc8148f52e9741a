//! HTML in names and descriptions (as My Maps and Google Earth write them) read as text.

/// HTML tag names that make a description HTML (and not text that happens to hold a `<`).
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "p",
    "br",
    "hr",
    "div",
    "span",
    "em",
    "strong",
    "img",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "font",
    "small",
    "big",
    "sup",
    "sub",
    "pre",
    "code",
    "center",
    "blockquote",
    "iframe",
    "video",
    "html",
    "body",
    "head",
    "style",
    "script",
];

/// A name or description as text: HTML stripped to its text, plain text as it is (trimmed,
/// no-break spaces plain ones); `None` when empty.
pub(super) fn text_of(s: &str) -> Option<String> {
    let t = if looks_html(s) {
        html_to_text(s)
    } else {
        s.trim().replace('\u{a0}', " ")
    };
    (!t.is_empty()).then_some(t)
}

/// Whether text holds an HTML tag (not just a "<" in words, as in "< 5 killed").
fn looks_html(s: &str) -> bool {
    s.match_indices('<').any(|(at, _)| {
        let after = s[at + 1..].trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let next = after[name.len()..].chars().next();
        HTML_TAGS.contains(&name.as_str())
            && next.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
    })
}

/// The text of HTML: tags removed, entities decoded, line breaks where `<br>` and block
/// elements (paragraphs, rows, list items) break lines; other whitespace runs as one space, as
/// a browser shows them.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let push_run = |text: &mut String, run: &str| {
        for c in run.chars() {
            text.push(if c.is_whitespace() { ' ' } else { c });
        }
    };
    while let Some(lt) = rest.find('<') {
        push_run(&mut text, &rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(end) = after.find('>').filter(|_| is_tag) else {
            text.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..end];
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match name.as_str() {
            "br" | "p" | "div" | "li" | "tr" | "ul" | "ol" | "table" | "h1" | "h2" | "h3"
            | "h4" | "h5" | "h6" | "blockquote" | "hr" | "pre" => text.push('\n'),
            "td" | "th" => text.push(' '),
            "script" | "style" if !closing => {
                // Their content is not text.
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&close) {
                    Some(at) => rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
                    None => "",
                };
            }
            _ => {}
        }
    }
    push_run(&mut text, rest);
    let text = decode_entities(&text).replace('\u{a0}', " ");
    // Lines trimmed, runs of spaces one, at most one blank line between paragraphs.
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// Text with HTML/XML character references decoded ("&amp;", "&#39;", "&nbsp;"); an unknown
/// one is left as it is.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .and_then(|n| Some((n, entity_char(&after[..n])?)));
        match decoded {
            Some((n, c)) => {
                out.push(c);
                rest = &after[n + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an entity name ("amp", "#39", "#x27", "nbsp"), for the XML ones, numeric
/// references and the HTML names descriptions use.
pub(super) fn entity_char(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "deg" => '°',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_descriptions_become_text() {
        assert_eq!(
            html_to_text(
                "a &amp; b &lt;c&gt; &quot;d&quot; it&#39;s&nbsp;here<br>line 2</p><p>para"
            ),
            "a & b <c> \"d\" it's here\nline 2\n\npara"
        );
        assert_eq!(
            html_to_text(
                "<table><tr><td>killed</td><td>3</td></tr></table><script>x()</script>end"
            ),
            "killed 3\n\nend"
        );
        assert_eq!(text_of("  3 < 5 killed  ").as_deref(), Some("3 < 5 killed"));
        assert!(!looks_html("<Unknown> place"));
        assert!(looks_html("a<br/>b"));
    }
}
