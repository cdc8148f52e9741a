//! The selected event.

/// What the UI asks of the selection.
#[derive(Clone, Debug, PartialEq)]
pub enum SelectCommand {
    /// Select an event (by store index) or clear the selection.
    Select(Option<usize>),
    /// The user clicked on these overlapping events (nearest first): select the next one.
    Clicked(Vec<usize>),
}

/// The selected event, and the events drawn at its spot (the detail panel pages through them).
#[derive(Debug, Default)]
pub struct Selection {
    /// Selected event (store index).
    pub selected: Option<usize>,
    /// Events drawn at the selected event's spot (from the last frame's map pass).
    pub at_spot: Vec<usize>,
}

impl Selection {
    /// Apply one command; `len` is the store's length (an index past it selects nothing).
    pub fn apply(&mut self, command: SelectCommand, len: usize) {
        match command {
            SelectCommand::Select(i) => self.selected = i.filter(|i| *i < len),
            SelectCommand::Clicked(hits) => {
                // Clicking the same pile again moves on to the next event in it.
                let next = match self
                    .selected
                    .and_then(|s| hits.iter().position(|h| *h == s))
                {
                    Some(pos) => hits.get((pos + 1) % hits.len()).copied(),
                    None => hits.first().copied(),
                };
                self.selected = next;
            }
        }
    }

    /// The data changed: indices no longer mean the same events.
    pub fn clear(&mut self) {
        self.selected = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicking_the_same_pile_cycles_through_it() {
        let mut s = Selection::default();
        s.apply(SelectCommand::Clicked(vec![4, 7, 9]), 10);
        assert_eq!(s.selected, Some(4));
        s.apply(SelectCommand::Clicked(vec![4, 7, 9]), 10);
        assert_eq!(s.selected, Some(7));
        s.apply(SelectCommand::Clicked(vec![4, 7, 9]), 10);
        s.apply(SelectCommand::Clicked(vec![4, 7, 9]), 10);
        assert_eq!(s.selected, Some(4), "wraps around");
        s.apply(SelectCommand::Select(Some(12)), 10);
        assert_eq!(s.selected, None, "an index past the store selects nothing");
    }
}
