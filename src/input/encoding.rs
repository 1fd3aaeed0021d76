//! Text encodings: telling UTF-8, UTF-16 and Windows-1252 apart from a
//! text input's first bytes, and decoding to UTF-8 while streaming.

use super::UTF8_BOM;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The encoding of a text input from its first bytes (`complete`: all of it).
/// A byte-order mark decides; else UTF-8 if the bytes are valid UTF-8 (but for
/// a sequence cut at the end of an incomplete window), or if they hold valid
/// multi-byte UTF-8 beside the invalid bytes (a UTF-8 file cut short inside
/// a character, or with a few rows pasted from another encoding: those rows
/// become errors, rather than every accented name being misread); else
/// Windows-1252.
pub(super) fn sniff_encoding(probe: &[u8], complete: bool) -> &'static encoding_rs::Encoding {
    if probe.starts_with(UTF8_BOM) {
        return encoding_rs::UTF_8;
    }
    if probe.starts_with(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE;
    }
    if probe.starts_with(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE;
    }
    match std::str::from_utf8(probe) {
        Ok(_) => encoding_rs::UTF_8,
        Err(e) if e.error_len().is_none() && !complete => encoding_rs::UTF_8,
        Err(_) if probe.utf8_chunks().any(|c| !c.valid().is_ascii()) => encoding_rs::UTF_8,
        Err(_) => encoding_rs::WINDOWS_1252,
    }
}

/// Decodes a byte stream to UTF-8 while it is read.
pub(super) struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// The source is exhausted.
    eof: bool,
    /// The decoder is flushed.
    done: bool,
    /// Bytes taken from `inner`.
    consumed: Arc<AtomicU64>,
}

impl<R: Read> DecodingReader<R> {
    pub(super) fn new(inner: R, decoder: encoding_rs::Decoder, consumed: Arc<AtomicU64>) -> Self {
        DecodingReader {
            inner,
            decoder,
            input: vec![0; 16 * 1024].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            output: vec![0; 32 * 1024].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
            consumed,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                match self.inner.read(&mut self.input) {
                    Ok(0) => self.eof = true,
                    Ok(n) => {
                        self.in_start = 0;
                        self.in_end = n;
                        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}
