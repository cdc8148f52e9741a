//! A report cut into paragraphs, sentences and words, each with its byte range in the text,
//! so every fact found can point back at the words it came from.

use std::ops::Range;

/// One word, number or punctuation mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// As written.
    pub text: String,
    /// Lower case, curly apostrophes made straight ("russia's").
    pub lower: String,
    /// Byte range in the report.
    pub span: Range<usize>,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// A run of digits (commas between thousands allowed: "1,110"), its value.
    pub number: Option<u32>,
    /// Punctuation (one character).
    pub punct: bool,
}

impl Token {
    /// Whether this is the punctuation mark `c`.
    pub fn is(&self, c: &str) -> bool {
        self.punct && self.text == c
    }
}

/// One sentence: its byte range, paragraph and words.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Byte range in the report (trimmed).
    pub span: Range<usize>,
    /// Which paragraph (blank-line or line-break separated block) it is in.
    pub paragraph: usize,
    /// Its tokens.
    pub tokens: Vec<Token>,
}

impl Sentence {
    /// Whether any token's lower form is one of `words`.
    pub fn has_any(&self, words: &[&str]) -> bool {
        self.tokens
            .iter()
            .any(|t| words.contains(&t.lower.as_str()))
    }

    /// Whether the lower-case text holds `phrase` as whole words (a phrase of several words
    /// separated by single spaces).
    pub fn has_phrase(&self, phrase: &str) -> bool {
        self.find_phrase(phrase).is_some()
    }

    /// The token index where `phrase` (words separated by spaces) starts.
    pub fn find_phrase(&self, phrase: &str) -> Option<usize> {
        let words: Vec<&str> = phrase.split(' ').collect();
        (0..self.tokens.len()).find(|&i| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| self.tokens.get(i + k).is_some_and(|t| t.lower == *w))
        })
    }
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "gov", "mr", "mrs", "ms", "dr", "st", "col", "gen", "lt", "sgt", "maj", "capt", "sen", "rep",
    "prof", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "u.s", "u.n", "approx", "e.g", "i.e", "lt.-gen", "adm",
];

/// Split `text` into sentences of tokens.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            split_line(body, offset, paragraph, &mut out);
            paragraph += 1;
        }
        offset += line.len();
    }
    out
}

/// The sentences of one line (a paragraph) starting at byte `offset` of the report.
fn split_line(line: &str, offset: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    let tokens = tokenize(line, offset);
    let mut start = 0;
    for i in 0..tokens.len() {
        if ends_sentence(&tokens, i) {
            push_sentence(&tokens[start..=i], paragraph, out);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        push_sentence(&tokens[start..], paragraph, out);
    }
}

fn push_sentence(tokens: &[Token], paragraph: usize, out: &mut Vec<Sentence>) {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return;
    };
    out.push(Sentence {
        span: first.span.start..last.span.end,
        paragraph,
        tokens: tokens.to_vec(),
    });
}

/// Whether token `i` ends a sentence: a full stop, "!" or "?" (with any closing quote after
/// it) followed by a word that starts a sentence, not after an abbreviation or an initial.
fn ends_sentence(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    // A quote mark right after a full stop (no space) closes the quotation the sentence
    // ends in; one after a space opens the next.
    let attached = |a: &Token, b: &Token| a.span.end == b.span.start;
    let closing = |t: &Token| t.punct && matches!(t.text.as_str(), "\"" | "”" | "’" | "'" | ")");
    let is_stop = |t: &Token| t.punct && matches!(t.text.as_str(), "." | "!" | "?");
    let stop = is_stop(t);
    let quote_after_stop =
        closing(t) && i > 0 && is_stop(&tokens[i - 1]) && attached(&tokens[i - 1], t);
    if !stop && !quote_after_stop {
        return false;
    }
    if stop
        && tokens
            .get(i + 1)
            .is_some_and(|n| closing(n) && attached(t, n))
    {
        return false;
    }
    let Some(next) = tokens.get(i + 1) else {
        return true;
    };
    let starts = next.cap || next.number.is_some() || next.is("\"") || next.is("“");
    if !starts {
        return false;
    }
    if t.text == "." && i > 0 {
        let prev = &tokens[i - 1];
        let initial = prev.text.chars().count() == 1 && prev.cap;
        if initial || ABBREVIATIONS.contains(&prev.lower.as_str()) {
            return false;
        }
    }
    true
}

/// Words (letters and digits, with inner hyphens, apostrophes and full stops of "U.S."),
/// numbers and single punctuation marks of `line`, at `offset`.
pub fn tokenize(line: &str, offset: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (b, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let e = b + c.len_utf8();
            out.push(token(&line[b..e], offset + b, true));
            k += 1;
            continue;
        }
        let mut j = k + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let joins = matches!(c, '-' | '\'' | '’' | '‑')
                || (c == ',' && chars[j - 1].1.is_ascii_digit() && next_digits(&chars, j + 1) == 3)
                || (c == '.' && chars[j - 1].1.is_ascii_digit() && next_digits(&chars, j + 1) > 0);
            let inner = joins && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric());
            if c.is_alphanumeric() || inner {
                j += 1;
            } else {
                break;
            }
        }
        let e = chars.get(j).map_or(line.len(), |c| c.0);
        out.push(token(&line[b..e], offset + b, false));
        k = j;
    }
    out
}

/// How many ASCII digits follow from `k` on (a thousands group is exactly three).
fn next_digits(chars: &[(usize, char)], k: usize) -> usize {
    chars[k.min(chars.len())..]
        .iter()
        .take_while(|c| c.1.is_ascii_digit())
        .count()
}

fn token(text: &str, at: usize, punct: bool) -> Token {
    let lower = text.to_lowercase().replace(['’', '‘'], "'");
    let number = (!punct && text.chars().all(|c| c.is_ascii_digit() || c == ','))
        .then(|| text.replace(',', "").parse().ok())
        .flatten();
    Token {
        text: text.to_owned(),
        lower,
        span: at..at + text.len(),
        cap: text.chars().next().is_some_and(char::is_uppercase),
        number,
        punct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_abbreviations_and_quotes_together() {
        let t = "Regional Gov. Vyacheslav Gladkov said a man was hurt. \"It burned.\" Then 1,110 homes lost heat.\nNext line";
        let s = sentences(t);
        let texts: Vec<&str> = s.iter().map(|s| &t[s.span.clone()]).collect();
        assert_eq!(
            texts,
            [
                "Regional Gov. Vyacheslav Gladkov said a man was hurt.",
                "\"It burned.\"",
                "Then 1,110 homes lost heat.",
                "Next line"
            ]
        );
        assert_eq!(s[2].tokens[1].number, Some(1110));
        assert_eq!(s[3].paragraph, 1);
    }

    #[test]
    fn words_keep_hyphens_and_apostrophes() {
        let t = tokenize("Ivano-Frankivsk, Kyiv’s 68-year-old", 10);
        let w: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(w, ["Ivano-Frankivsk", ",", "Kyiv’s", "68-year-old"]);
        assert_eq!(t[2].lower, "kyiv's");
        assert_eq!(t[0].span, 10..25);
    }
}
