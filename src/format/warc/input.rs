//! Line reading and the budgeted, push-back input the WARC reader runs on.

use std::io::{self, BufRead, Read};

/// One line including its `\n`; at most `max` bytes are kept (the rest of a longer line is
/// consumed and dropped). Empty only at the end of input.
pub(super) fn read_line(input: &mut impl BufRead, max: usize) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(line);
        }
        let (used, done) = match buffer.iter().position(|byte| *byte == b'\n') {
            Some(position) => (position + 1, true),
            None => (buffer.len(), false),
        };
        let room = max.saturating_sub(line.len());
        line.extend_from_slice(&buffer[..used.min(room)]);
        input.consume(used);
        if done {
            return Ok(line);
        }
    }
}

pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|byte| matches!(byte, b'\r' | b'\n'))
}

/// A `BufRead` with a push-back buffer (for resynchronisation) that ends after
/// `remaining` bytes of its inner reader (the unpacked-size budget).
pub(super) struct Input<R> {
    pending: Vec<u8>,
    position: usize,
    inner: R,
    remaining: u64,
    /// Bytes consumed from the inner reader.
    pub(super) consumed: u64,
    /// The budget ran out before the inner reader ended.
    pub(super) exhausted: bool,
}

impl<R: BufRead> Input<R> {
    pub(super) fn new(inner: R, remaining: u64) -> Input<R> {
        Input {
            pending: Vec::new(),
            position: 0,
            inner,
            remaining,
            consumed: 0,
            exhausted: false,
        }
    }

    /// Makes `bytes` the next bytes read.
    pub(super) fn push_back(&mut self, bytes: &[u8]) {
        let mut pending = bytes.to_vec();
        pending.extend_from_slice(&self.pending[self.position..]);
        self.pending = pending;
        self.position = 0;
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(buffer.len());
        buffer[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.position < self.pending.len() {
            return Ok(&self.pending[self.position..]);
        }
        if self.remaining == 0 {
            self.exhausted = !self.inner.fill_buf()?.is_empty();
            return Ok(&[]);
        }
        let remaining = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        let buffer = self.inner.fill_buf()?;
        let length = buffer.len().min(remaining);
        Ok(&buffer[..length])
    }

    fn consume(&mut self, amount: usize) {
        if self.position < self.pending.len() {
            self.position += amount;
            if self.position >= self.pending.len() {
                self.pending.clear();
                self.position = 0;
            }
        } else {
            self.consumed += amount as u64;
            self.remaining = self.remaining.saturating_sub(amount as u64);
            self.inner.consume(amount);
        }
    }
}
