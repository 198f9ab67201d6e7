//! The weight table: quantized i16 rows, one row of label scores per hashed feature.
//!
//! File format (little endian): magic `NDXNER01`, `bits: u8`, `labels: u8`, `rows: u32`,
//! then per stored row the gap to the previous row index as a LEB128 varint and the
//! `labels` i16 weights. Rows whose weights all round to zero are not stored.

use super::features::LABELS;

/// File magic.
const MAGIC: &[u8; 8] = b"NDXNER01";

/// A weight table of `2^bits` rows, stored compactly: a bitmap of the rows that have any
/// non-zero weight, a running count per 64-row block, and the non-zero rows packed in
/// order. A lookup is a bit test (the bitmap of a 2^20-row model is 128 KiB) and, for the
/// one row in ten that is stored, a popcount and a read from the packed rows (about
/// 1.7 MB): the whole model stays in a core's L2 cache, where the dense 19 MB table did not.
#[derive(Debug, Clone)]
pub struct Weights {
    /// log2 of the number of rows.
    pub bits: u32,
    /// One bit per row: set when the row is stored.
    present: Vec<u64>,
    /// Number of stored rows before each 64-row block.
    ranks: Vec<u32>,
    /// A zero row, then the stored rows in row order (absent rows read the zero row, so
    /// scoring has no data-dependent branch).
    rows: Vec<[i16; LABELS]>,
}

impl Weights {
    /// An all-zero table.
    pub fn empty(bits: u32) -> Weights {
        let blocks = (1usize << bits).div_ceil(64);
        Weights {
            bits,
            present: vec![0; blocks],
            ranks: vec![0; blocks],
            rows: vec![[0; LABELS]],
        }
    }

    /// A table from (row index, weights) pairs in increasing row order, zero rows skipped.
    fn from_rows(bits: u32, rows: impl IntoIterator<Item = (usize, [i16; LABELS])>) -> Weights {
        let mut weights = Weights::empty(bits);
        for (index, row) in rows {
            if row.iter().all(|&value| value == 0) {
                continue;
            }
            weights.present[index / 64] |= 1 << (index % 64);
            weights.rows.push(row);
        }
        // Ranks count from 1: row 0 is the zero row.
        let mut total = 1u32;
        for (rank, block) in weights.ranks.iter_mut().zip(&weights.present) {
            *rank = total;
            total += block.count_ones();
        }
        weights
    }

    /// Loads a model file; `None` when it is malformed.
    pub fn from_bytes(bytes: &[u8]) -> Option<Weights> {
        let header = bytes.get(..14)?;
        if &header[..8] != MAGIC || usize::from(header[9]) != LABELS {
            return None;
        }
        let bits = u32::from(header[8]);
        if !(8..=26).contains(&bits) {
            return None;
        }
        let count = u32::from_le_bytes([header[10], header[11], header[12], header[13]]);
        let mut rows = Vec::with_capacity(count.min(1 << 22) as usize);
        let mut position = 14;
        let mut row = 0usize;
        for index in 0..count {
            let (gap, used) = read_varint(bytes.get(position..)?)?;
            position += used;
            if index > 0 && gap == 0 {
                return None;
            }
            row = row.checked_add(usize::try_from(gap).ok()?)?;
            if row >= 1 << bits {
                return None;
            }
            let values = bytes.get(position..position + 2 * LABELS)?;
            position += 2 * LABELS;
            let mut target = [0i16; LABELS];
            for (label, pair) in values.chunks_exact(2).enumerate() {
                target[label] = i16::from_le_bytes([pair[0], pair[1]]);
            }
            rows.push((row, target));
        }
        Some(Weights::from_rows(bits, rows))
    }

    /// Quantizes averaged float weights (`2^bits * LABELS` values) to i16, dropping values
    /// below `threshold` in magnitude.
    pub fn quantize(bits: u32, values: &[f32], threshold: f32) -> Weights {
        let largest = values
            .iter()
            .fold(0f32, |largest, value| largest.max(value.abs()));
        let scale = if largest > 0.0 {
            32767.0 / largest
        } else {
            1.0
        };
        let rows = values
            .chunks_exact(LABELS)
            .enumerate()
            .map(|(index, chunk)| {
                let mut row = [0i16; LABELS];
                for (target, &value) in row.iter_mut().zip(chunk) {
                    if value.abs() >= threshold {
                        *target = (value * scale).round() as i16;
                    }
                }
                (index, row)
            });
        Weights::from_rows(bits, rows)
    }

    /// The stored rows with their indices, in order.
    fn stored(&self) -> impl Iterator<Item = (usize, &[i16; LABELS])> {
        let mut next = 0usize;
        self.present
            .iter()
            .enumerate()
            .flat_map(|(block, &word)| {
                (0..64)
                    .filter(move |bit| word & (1 << bit) != 0)
                    .map(move |bit| block * 64 + bit)
            })
            .map(move |index| {
                let row = &self.rows[next + 1];
                next += 1;
                (index, row)
            })
    }

    /// Serializes in the file format of the module documentation.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.push(self.bits as u8);
        bytes.push(LABELS as u8);
        bytes.extend_from_slice(&((self.rows.len() - 1) as u32).to_le_bytes());
        let mut last = 0usize;
        for (index, row) in self.stored() {
            write_varint(&mut bytes, (index - last) as u64);
            last = index;
            for value in row {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        bytes
    }

    /// Adds the rows of `features` into `scores`.
    #[inline]
    pub fn score(&self, features: &[u32], scores: &mut [i32; LABELS]) {
        *scores = [0; LABELS];
        self.add_scores(features, scores);
    }

    /// Adds the scores of `features` to `scores`.
    pub fn add_scores(&self, features: &[u32], scores: &mut [i32; LABELS]) {
        for &feature in features {
            let index = feature as usize;
            let block = index / 64;
            let (Some(&word), Some(&rank)) = (self.present.get(block), self.ranks.get(block))
            else {
                continue;
            };
            let bit = 1u64 << (index % 64);
            let rank = rank + (word & (bit - 1)).count_ones();
            // Branch-free: an absent row reads the zero row.
            let slot = if word & bit != 0 { rank as usize } else { 0 };
            let row = &self.rows[slot];
            for (score, &weight) in scores.iter_mut().zip(row) {
                *score += i32::from(weight);
            }
        }
    }

    /// True when every weight is zero (an untrained model).
    pub fn is_zero(&self) -> bool {
        self.rows.len() <= 1
    }
}

fn write_varint(bytes: &mut Vec<u8>, mut value: u64) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            bytes.push(low);
            return;
        }
        bytes.push(low | 0x80);
    }
}

/// Reads an unsigned LEB128 varint; returns the value and the bytes used.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut values = vec![0f32; (1 << 8) * LABELS];
        values[3 * LABELS + 2] = 1.5;
        values[200 * LABELS] = -3.0;
        values[201 * LABELS] = 0.001;
        let weights = Weights::quantize(8, &values, 0.01);
        let loaded = Weights::from_bytes(&weights.to_bytes()).expect("valid model");
        let mut scores = [0; LABELS];
        loaded.score(&[3, 200, 201], &mut scores);
        assert_eq!(scores[0], -32767);
        assert_eq!(scores[2], 16384);
    }

    #[test]
    fn rejects_garbage() {
        assert!(Weights::from_bytes(b"").is_none());
        assert!(Weights::from_bytes(b"NDXNER01\x10\x09\xff\xff\xff\xff").is_none());
    }
}
