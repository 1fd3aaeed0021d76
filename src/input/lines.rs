//! Line tracking: line ends made uniform for the CSV reader, and the blank
//! lines it skips counted, so that every row keeps its line number.

use std::collections::VecDeque;
use std::io::Read;

/// Feeds the CSV reader: turns CR LF and lone CR line ends into LF, so that
/// the reader counts lines right, counts the bytes taken from the source,
/// and notes the runs of line ends that can hold blank lines, which the
/// reader skips without counting them in the line of the record after them.
pub(super) struct LineEnds<R> {
    inner: R,
    /// The last byte read was a CR: a LF right after it is dropped.
    after_cr: bool,
    /// Bytes handed out so far (the CSV reader's byte positions).
    offset: u64,
    /// Bytes taken from `inner`.
    pub(super) consumed: u64,
    /// The last run of LF handed out: (offset, length).
    run: (u64, u64),
    /// Earlier runs that can hold blank lines (two LF or more, or one at the
    /// start), not yet passed by the CSV reader.
    runs: VecDeque<(u64, u64)>,
    /// Inside double quotes, counting every `"` handed out (`""` counts twice).
    in_quotes: bool,
    /// Where the last opening `"` was handed out.
    quote_at: u64,
    /// `inner` is exhausted.
    eof: bool,
}

impl<R: Read> LineEnds<R> {
    pub(super) fn new(inner: R) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            offset: 0,
            consumed: 0,
            run: (0, 0),
            runs: VecDeque::new(),
            in_quotes: false,
            quote_at: 0,
            eof: false,
        }
    }

    /// Where a `"` opened a quoted field that the input never closed (known
    /// once the whole input has been handed out): the CSV reader then reads
    /// every line after it into that field.
    pub(super) fn unclosed_quote(&self) -> Option<u64> {
        (self.eof && self.in_quotes).then_some(self.quote_at)
    }

    /// Blank lines skipped from byte `at`, where the CSV reader started a
    /// record, to the record's first byte. Runs before `at` are forgotten.
    pub(super) fn blank_lines_at(&mut self, at: u64) -> u64 {
        while self.runs.front().is_some_and(|&(s, len)| s + len <= at) {
            self.runs.pop_front();
        }
        self.runs
            .front()
            .into_iter()
            .chain(std::iter::once(&self.run))
            .find(|&&(s, len)| s <= at && at < s + len)
            .map_or(0, |&(s, len)| s + len - at)
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = match self.inner.read(buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                return Ok(0);
            }
            self.consumed += n as u64;
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if self.after_cr && b == b'\n' {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                let b = if b == b'\r' { b'\n' } else { b };
                if b == b'"' {
                    self.in_quotes = !self.in_quotes;
                    if self.in_quotes {
                        self.quote_at = self.offset;
                    }
                }
                if b == b'\n' {
                    let (start, len) = self.run;
                    if len > 0 && start + len == self.offset {
                        self.run.1 += 1;
                    } else {
                        if len >= 2 || (start == 0 && len == 1) {
                            self.runs.push_back(self.run);
                        }
                        self.run = (self.offset, 1);
                    }
                }
                buf[w] = b;
                w += 1;
                self.offset += 1;
            }
            // Only a dropped LF: read on rather than signal the end.
            if w > 0 {
                return Ok(w);
            }
        }
    }
}
