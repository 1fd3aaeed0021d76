//! The progress bar of `screen`: on a terminal, for inputs of more than a
//! few thousand rows; silent otherwise (a pipe, a CI log).

/// The progress bar of `screen`: shown on standard error when it is a
/// terminal, once more than [`Progress::AFTER_ROWS`] rows have been read.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    input_len: Option<u64>,
    terminal: bool,
}

impl Progress {
    /// Rows read before the bar appears: short runs stay quiet.
    const AFTER_ROWS: u64 = 5000;

    /// A bar, not shown yet, for an input of `input_len` bytes (`None`:
    /// unknown, a spinner instead).
    pub fn new(input_len: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        Progress {
            bar: None,
            input_len,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Show `rows` screened, `bytes` of the input read and the rows with
    /// potential matches so far.
    pub fn update(&mut self, rows: u64, bytes: u64, matches: u64) {
        if !self.terminal || rows <= Self::AFTER_ROWS {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let (bar, template) = match self.input_len {
                Some(len) => (
                    indicatif::ProgressBar::new(len),
                    "{bar:40} {percent:>3}% {msg} ({elapsed}, about {eta} left)",
                ),
                None => (
                    indicatif::ProgressBar::new_spinner(),
                    "{spinner} {msg} ({elapsed})",
                ),
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        if self.input_len.is_some() {
            bar.set_position(bytes);
        } else {
            bar.tick();
        }
        bar.set_message(format!(
            "{rows} rows screened, {matches} with potential matches"
        ));
    }

    /// Clear the bar, if shown.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn the_progress_bar_shows_on_a_terminal_past_a_few_thousand_rows_only() {
        // Not a terminal (a pipe, a CI log): never a bar.
        let mut quiet = Progress {
            terminal: false,
            ..Progress::new(Some(1_000_000))
        };
        quiet.update(1_000_000, 500_000, 10);
        assert!(quiet.bar.is_none());
        // A terminal: nothing for a short input, a bar once it is long.
        let mut shown = Progress {
            terminal: true,
            ..Progress::new(Some(1_000_000))
        };
        shown.update(Progress::AFTER_ROWS, 1_000, 1);
        assert!(shown.bar.is_none());
        shown.update(Progress::AFTER_ROWS + 1, 2_000, 1);
        assert_eq!(shown.bar.as_ref().map(|b| b.position()), Some(2_000));
        shown.finish();
        assert!(shown.bar.is_none());
    }
}
