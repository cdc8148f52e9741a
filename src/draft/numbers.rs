//! Counts as news writes them: "16", "1,110", "ten", "twenty-one", "a man", "dozens" (not a
//! count), and the casualty and attack totals a clause states.

use super::text::Token;

/// The value of a number word ("two", "twenty-one", "a dozen" is handled by the caller).
pub fn number_word(w: &str) -> Option<u32> {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = ONES.iter().position(|o| *o == w) {
        return u32::try_from(i).ok();
    }
    if let Some(i) = TENS.iter().position(|t| *t == w) {
        return u32::try_from(20 + 10 * i).ok();
    }
    let (tens, ones) = w.split_once('-')?;
    let t = TENS.iter().position(|x| *x == tens)?;
    let o = ONES[1..10].iter().position(|x| *x == ones)?;
    u32::try_from(20 + 10 * t + o + 1).ok()
}

/// The number token `t` states (digits or a word), if any.
pub fn value(t: &Token) -> Option<u32> {
    t.number.or_else(|| number_word(&t.lower))
}

/// A count found in a sentence: its value, where it is, and what it counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// How many.
    pub value: u32,
    /// Token index of the number.
    pub at: usize,
    /// What is counted.
    pub kind: CountKind,
    /// How it combines with an earlier count of the same kind for the same event.
    pub merge: Merge,
}

/// What a [`Count`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountKind {
    /// People killed.
    Killed,
    /// People injured.
    Injured,
    /// Children killed (also counted among the killed).
    ChildrenKilled,
    /// Children injured (also counted among the injured).
    ChildrenInjured,
    /// Weapons launched in an attack.
    Launched,
    /// Weapons shot down.
    Intercepted,
}

/// How a count joins the one already known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// The same people again, perhaps more completely: the larger stays.
    Max,
    /// More people ("also died", "six additional injuries").
    Add,
    /// An update ("the toll rose to 4"): replaces.
    Replace,
    /// At least this many, as part of a count given otherwise (the children of "two children
    /// died" are among the killed): never summed with the clause's other counts.
    Floor,
}

/// The counts of one clause joined per kind: same-kind counts of a list are summed ("a
/// woman and a police officer" = 2), floors only raise the sum.
pub fn combine(counts: &[Count]) -> Vec<(CountKind, u32, Merge)> {
    let mut out: Vec<(CountKind, u32, Merge)> = Vec::new();
    for c in counts {
        let slot = match out.iter_mut().find(|o| o.0 == c.kind) {
            Some(s) => s,
            None => {
                out.push((c.kind, 0, Merge::Floor));
                let Some(last) = out.last_mut() else { continue };
                last
            }
        };
        if c.merge == Merge::Floor {
            slot.1 = slot.1.max(c.value);
        } else {
            slot.1 = if slot.2 == Merge::Floor {
                slot.1.max(c.value)
            } else {
                slot.1 + c.value
            };
            slot.2 = c.merge;
        }
    }
    for o in &mut out {
        if o.2 == Merge::Floor {
            o.2 = Merge::Max;
        }
    }
    out
}

/// Words for people (a count of them before a casualty word is a casualty count).
const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "person",
    "civilians",
    "civilian",
    "individuals",
    "individual",
    "others",
    "residents",
    "resident",
    "men",
    "man",
    "women",
    "woman",
    "children",
    "child",
    "boys",
    "boy",
    "girls",
    "girl",
    "teenagers",
    "teenager",
    "adults",
    "adult",
    "pensioners",
    "pensioner",
    "officers",
    "officer",
    "workers",
    "worker",
    "rescuers",
    "rescuer",
    "medics",
    "medic",
    "passengers",
    "passenger",
    "victims",
    "more",
    "additional",
    "other",
    "of",
    "them",
];
const CHILDREN: &[&str] = &[
    "children",
    "child",
    "boys",
    "boy",
    "girls",
    "girl",
    "teenagers",
    "teenager",
    "toddler",
    "baby",
    "babies",
    "infant",
    "kids",
    "minors",
];
const KILLED: &[&str] = &[
    "killed",
    "dead",
    "died",
    "deaths",
    "death",
    "fatalities",
    "lives",
    "killing",
    "dying",
];
const INJURED: &[&str] = &[
    "injured",
    "wounded",
    "hurt",
    "injuries",
    "injuring",
    "wounding",
    "hospitalised",
    "hospitalized",
    "hospital",
    "casualties",
];
/// Weapons counted in attack totals.
pub const WEAPON_NOUNS: &[&str] = &[
    "drones", "drone", "missiles", "missile", "shaheds", "bombs", "uavs", "rockets",
];
const DOWNED: &[&str] = &[
    "intercepted",
    "downed",
    "destroyed",
    "shot",
    "neutralised",
    "neutralized",
    "suppressed",
];

/// The casualty and attack counts of a clause (`tokens`, one clause of a sentence).
pub fn counts(tokens: &[Token]) -> Vec<Count> {
    counts_with(tokens, None)
}

/// [`counts`] of a clause that continues one whose last count was of kind `elided`: a bare
/// number opening it ("one in Pokrovsk") counts the same.
pub fn counts_with(tokens: &[Token], elided: Option<CountKind>) -> Vec<Count> {
    let mut out = Vec::new();
    let lower: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    let merge = merge_of(&lower);
    for i in 0..tokens.len() {
        let Some(n) = person_count(tokens, i) else {
            continue;
        };
        if is_age_or_unit(tokens, i) {
            continue;
        }
        // A list goes on with the kind of its first item ("the deaths of a woman and a
        // police officer"); "the toll rose to 4" counts the dead.
        let listed = || {
            let prev = out.last().filter(|c: &&Count| {
                c.at + 8 > i && matches!(c.kind, CountKind::Killed | CountKind::Injured)
            })?;
            matches!(
                lower.get(i.wrapping_sub(1)),
                Some(&"and" | &"," | &"including" | &"among")
            )
            .then_some(prev.kind)
        };
        let toll = || {
            let before = &lower[i.saturating_sub(7)..i];
            before.contains(&"toll").then(|| {
                if before.iter().any(|w| INJURED.contains(w)) {
                    CountKind::Injured
                } else {
                    CountKind::Killed
                }
            })
        };
        // "... and one in Pokrovsk": a bare number opening the clause after a casualty count
        // ("Two people were killed in Dnipro") counts the same.
        let elided =
            || elided.filter(|_| i == 0 && matches!(lower.get(1), Some(&"in" | &"on" | &"at")));
        if let Some(kind) = count_kind(&lower, i)
            .or_else(listed)
            .or_else(toll)
            .or_else(elided)
        {
            let child = noun_after(&lower, i).is_some_and(|w| CHILDREN.contains(&w));
            let kind = match (kind, child) {
                (CountKind::Killed, true) => CountKind::ChildrenKilled,
                (CountKind::Injured, true) => CountKind::ChildrenInjured,
                (k, _) => k,
            };
            out.push(Count {
                value: n,
                at: i,
                kind,
                merge,
            });
            if child {
                // Children are also among the killed or injured.
                let all = match kind {
                    CountKind::ChildrenKilled => CountKind::Killed,
                    _ => CountKind::Injured,
                };
                out.push(Count {
                    value: n,
                    at: i,
                    kind: all,
                    merge: Merge::Floor,
                });
            }
        }
    }
    out.extend(attack_counts(tokens));
    children_list(tokens, &lower, &mut out);
    out
}

/// How counts in this clause join earlier ones.
fn merge_of(lower: &[&str]) -> Merge {
    let has = |w: &[&str]| lower.iter().any(|x| w.contains(x));
    if has(&["rose", "risen", "climbed", "increased", "grew", "reached"])
        && has(&["toll", "number", "rose", "risen"])
    {
        Merge::Replace
    } else if has(&["also", "additional", "another", "further", "more"]) {
        Merge::Add
    } else {
        Merge::Max
    }
}

/// The number of people token `i` states: a number, a number word, or "a"/"an" before a
/// person noun ("a man", "a 68-year-old woman").
fn person_count(tokens: &[Token], i: usize) -> Option<u32> {
    let t = &tokens[i];
    if let Some(v) = value(t) {
        // "one of the ..." and "two-year-old" are handled by the noun check.
        return Some(v);
    }
    if matches!(t.lower.as_str(), "a" | "an") {
        let noun = tokens
            .get(i + 1..i + 4)?
            .iter()
            .find(|t| !t.lower.ends_with("-old"))?;
        let single = [
            "man",
            "woman",
            "person",
            "child",
            "boy",
            "girl",
            "teenager",
            "resident",
            "civilian",
            "pensioner",
            "officer",
            "worker",
            "rescuer",
            "medic",
            "driver",
            "passenger",
            "baby",
            "police",
            "toddler",
        ];
        return single.contains(&noun.lower.as_str()).then_some(1);
    }
    // "The children's father also died", "his wife was injured": one person.
    const KIN: &[&str] = &[
        "father",
        "mother",
        "son",
        "daughter",
        "husband",
        "wife",
        "brother",
        "sister",
        "grandmother",
        "grandfather",
        "driver",
        "owner",
        "guard",
    ];
    let determiner = i > 0 && {
        let p = tokens[i - 1].lower.as_str();
        matches!(p, "the" | "his" | "her" | "their" | "its")
            || p.ends_with("'s")
            || p.ends_with("s'")
    };
    (KIN.contains(&t.lower.as_str()) && determiner).then_some(1)
}

/// Whether the number at `i` is an age, a time, a year or a quantity of things other than
/// people ("68-year-old", "2024", "8 districts", "138 drones").
fn is_age_or_unit(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if t.lower.contains("year") || t.number.is_some_and(|n| (1900..2100).contains(&n)) {
        return true;
    }
    let next = tokens.get(i + 1).map_or("", |t| t.lower.as_str());
    let next2 = tokens.get(i + 2).map_or("", |t| t.lower.as_str());
    let things = [
        "regions",
        "districts",
        "cities",
        "towns",
        "villages",
        "locations",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
        "minutes",
        "times",
        "percent",
        "%",
        "km",
        "kilometres",
        "miles",
        "buildings",
        "houses",
        "homes",
        "blocks",
        "cars",
        "vehicles",
        "countries",
        "celsius",
        "degrees",
        "am",
        "pm",
        "a.m",
        "p.m",
        "o'clock",
        "floors",
        "storey",
    ];
    things.contains(&next)
        || WEAPON_NOUNS.contains(&next)
        || (next == "of" && next2 == "these")
        || (["attack", "strike", "cruise", "ballistic", "kamikaze"].contains(&next)
            && WEAPON_NOUNS.contains(&next2))
}

/// The first noun after the number at `i` (skipping adjectives such as "more", ages).
fn noun_after<'a>(lower: &[&'a str], i: usize) -> Option<&'a str> {
    lower
        .get(i + 1..(i + 4).min(lower.len()))?
        .iter()
        .copied()
        .find(|w| PEOPLE.contains(w) || CHILDREN.contains(w))
}

/// Whether the people counted at `i` were killed or injured: a casualty word right after
/// the count ("three people were killed", "16 others injured", "two others lost their
/// lives"), or right before it ("killed one person", "the deaths of at least two", "injured
/// a man").
fn count_kind(lower: &[&str], i: usize) -> Option<CountKind> {
    let kind = |w: &str| {
        if KILLED.contains(&w) {
            Some(CountKind::Killed)
        } else if INJURED.contains(&w) {
            Some(CountKind::Injured)
        } else {
            None
        }
    };
    // After: the number, up to five words of noun and verb ("people were reported killed").
    let stop = |w: &str| matches!(w, "," | "." | ";" | "and" | "while" | "but" | "including");
    for w in lower.iter().skip(i + 1).take(6) {
        if stop(w) {
            break;
        }
        if let Some(k) = kind(w) {
            return Some(k);
        }
    }
    // Before: "killed one person", "killing at least 16", "deaths of at least two".
    let mut j = i;
    let mut steps = 0;
    while j > 0 && steps < 4 {
        j -= 1;
        steps += 1;
        let w = lower[j];
        if let Some(k) = kind(w) {
            let people_follow = noun_after(lower, i).is_some()
                || matches!(
                    lower.get(i + 1),
                    None | Some(&"," | &"." | &"and" | &"in" | &"on")
                );
            return people_follow.then_some(k);
        }
        if !matches!(
            w,
            "at" | "least"
                | "of"
                | "the"
                | "more"
                | "than"
                | "about"
                | "around"
                | "some"
                | "nearly"
                | "almost"
                | "up"
                | "to"
                | "another"
                | "a"
                | "an"
                | "over"
        ) {
            break;
        }
    }
    None
}

/// "children died: two boys ... and a girl": the children named in a list after a colon.
fn children_list(tokens: &[Token], lower: &[&str], out: &mut Vec<Count>) {
    let Some(colon) = tokens.iter().position(|t| t.is(":")) else {
        return;
    };
    let before = &lower[..colon];
    let died = before.iter().any(|w| KILLED.contains(w));
    let hurt = before.iter().any(|w| INJURED.contains(w));
    if !(died || hurt) || !before.iter().any(|w| CHILDREN.contains(w)) {
        return;
    }
    let mut n = 0;
    for i in colon + 1..tokens.len() {
        let noun = noun_after(lower, i).filter(|w| CHILDREN.contains(w));
        if let (Some(v), Some(_)) = (person_count(tokens, i), noun) {
            n += v;
        }
    }
    if n == 0 {
        return;
    }
    let at = colon;
    let (kids, all) = if died {
        (CountKind::ChildrenKilled, CountKind::Killed)
    } else {
        (CountKind::ChildrenInjured, CountKind::Injured)
    };
    out.retain(|c| c.at < colon || !matches!(c.kind, CountKind::Killed | CountKind::Injured));
    out.push(Count {
        value: n,
        at,
        kind: kids,
        merge: Merge::Max,
    });
    out.push(Count {
        value: n,
        at,
        kind: all,
        merge: Merge::Floor,
    });
}

/// Attack totals: "138 attack drones. Of these, 110 were intercepted", "18 missiles and
/// approximately 400 drones", "downed 235 drones".
fn attack_counts(tokens: &[Token]) -> Vec<Count> {
    let lower: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    let mut out = Vec::new();
    let mut launched = 0;
    let mut first = None;
    for i in 0..tokens.len() {
        let Some(n) = tokens[i].number.or_else(|| number_word(lower[i])) else {
            continue;
        };
        let window = &lower[i + 1..(i + 5).min(lower.len())];
        let Some(w) = window.iter().position(|w| WEAPON_NOUNS.contains(w)) else {
            // "Of these, 110 were intercepted", "110 were shot down".
            let verb = window.iter().take(3).any(|w| DOWNED.contains(w));
            if verb && !window.first().is_some_and(|w| PEOPLE.contains(w)) {
                out.push(Count {
                    value: n,
                    at: i,
                    kind: CountKind::Intercepted,
                    merge: Merge::Max,
                });
            }
            continue;
        };
        // Only adjectives between the number and the weapon ("138 attack drones", "13 cruise
        // or ballistic missiles").
        let between = &window[..w];
        let adjectives = [
            "attack",
            "strike",
            "cruise",
            "ballistic",
            "kamikaze",
            "shahed",
            "shahed-type",
            "or",
            "and",
            "guided",
            "aerial",
            "various",
            "combat",
            "decoy",
            "hypersonic",
            "ukrainian",
            "russian",
            "enemy",
            "iranian-made",
            "iranian",
            "iskander-m",
            "iskander",
            "kinzhal",
            "kalibr",
            "kh-101",
            "kh-555",
            "kh-59",
            "shahed-136",
            "geran-2",
            "kn-23",
            "s-300",
            "north",
            "korean",
        ];
        if !between.iter().all(|b| adjectives.contains(b)) {
            continue;
        }
        let before = &lower[i.saturating_sub(3)..i];
        let after = &lower[(i + w + 2).min(lower.len())..(i + w + 6).min(lower.len())];
        if before.iter().any(|b| DOWNED.contains(b)) || after.iter().any(|a| DOWNED.contains(a)) {
            out.push(Count {
                value: n,
                at: i,
                kind: CountKind::Intercepted,
                merge: Merge::Max,
            });
        } else {
            launched += n;
            first.get_or_insert(i);
        }
    }
    if let Some(at) = first {
        out.push(Count {
            value: launched,
            at,
            kind: CountKind::Launched,
            merge: Merge::Max,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::tokenize;

    fn of(text: &str) -> Vec<(CountKind, u32)> {
        counts(&tokenize(text, 0))
            .into_iter()
            .map(|c| (c.kind, c.value))
            .collect()
    }

    #[test]
    fn casualties_in_the_words_news_uses() {
        use CountKind::*;
        assert_eq!(
            of("leaving ten people wounded, including children"),
            [(Injured, 10)]
        );
        assert_eq!(of("Tragically, three people were killed."), [(Killed, 3)]);
        assert_eq!(of("a strike drone killed one person"), [(Killed, 1)]);
        assert_eq!(of("two others lost their lives"), [(Killed, 2)]);
        assert_eq!(
            of("resulting in the deaths of at least two individuals and leaving 16 others injured"),
            [(Killed, 2), (Injured, 16)]
        );
        assert_eq!(
            of("a drone injured a man and set his house ablaze"),
            [(Injured, 1)]
        );
        assert_eq!(
            of("the deaths of a 68-year-old woman and a 22-year-old police officer"),
            [(Killed, 1), (Killed, 1)]
        );
        assert_eq!(of("The children's father also died."), [(Killed, 1)]);
        assert_eq!(
            of("The children's mother is in the hospital"),
            [(Injured, 1)]
        );
        assert_eq!(
            of("children died: two boys, only two years old, and a girl, only one year old."),
            [(ChildrenKilled, 3), (Killed, 3)]
        );
        assert_eq!(of("hit eight districts with 16 drones"), [(Launched, 16)]);
        assert_eq!(of("killing 3 children"), [(ChildrenKilled, 3), (Killed, 3)]);
        assert_eq!(of("1,110 apartment blocks remained without heat"), []);
    }

    #[test]
    fn attack_totals() {
        use CountKind::*;
        assert_eq!(
            of("ballistic missiles and 138 attack drones. Of these, 110 were intercepted"),
            [(Intercepted, 110), (Launched, 138)]
        );
        assert_eq!(
            of("18 missiles and approximately 400 drones"),
            [(Launched, 418)]
        );
        assert_eq!(
            of(
                "Russia launched 95 drones and two Iskander-M ballistic missiles; the air force said 71 drones were shot down"
            ),
            [(Intercepted, 71), (Launched, 97)]
        );
        assert_eq!(
            of("728 drones and 13 cruise or ballistic missiles"),
            [(Launched, 741)]
        );
        assert_eq!(
            of("air defenses successfully downed 235 Ukrainian drones"),
            [(Intercepted, 235)]
        );
        assert_eq!(number_word("twenty-one"), Some(21));
    }

    #[test]
    fn a_clause_s_counts_join() {
        use CountKind::*;
        let c = |t: &str| combine(&counts(&tokenize(t, 0)));
        assert_eq!(
            c("three people were killed, including two children"),
            [(Killed, 3, Merge::Max), (ChildrenKilled, 2, Merge::Max)]
        );
        assert_eq!(
            c("the deaths of a 68-year-old woman and a 22-year-old police officer"),
            [(Killed, 2, Merge::Max)]
        );
        assert_eq!(
            c("The children's father also died."),
            [(Killed, 1, Merge::Add)]
        );
        assert_eq!(c("the death toll rose to 4"), [(Killed, 4, Merge::Replace)]);
    }
}
