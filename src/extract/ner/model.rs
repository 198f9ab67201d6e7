//! The weight table: quantized i16 rows, one row of label scores per hashed feature.
//!
//! File format (little endian): magic `NDXNER01`, `bits: u8`, `labels: u8`, `rows: u32`,
//! then per stored row the gap to the previous row index as a LEB128 varint and the
//! `labels` i16 weights. Rows whose weights all round to zero are not stored.

use super::features::LABELS;

/// File magic.
const MAGIC: &[u8; 8] = b"NDXNER01";

/// A dense weight table of `2^bits` rows.
#[derive(Debug, Clone)]
pub struct Weights {
    /// log2 of the number of rows.
    pub bits: u32,
    rows: Vec<[i16; LABELS]>,
}

impl Weights {
    /// An all-zero table (tags nothing).
    pub fn empty(bits: u32) -> Weights {
        Weights {
            bits,
            rows: vec![[0; LABELS]; 1 << bits],
        }
    }

    /// Parses a model file; `None` when it is empty or malformed.
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
        let mut weights = Weights::empty(bits);
        let mut position = 14;
        let mut row = 0usize;
        for _ in 0..count {
            let (gap, used) = read_varint(bytes.get(position..)?)?;
            position += used;
            row = row.checked_add(usize::try_from(gap).ok()?)?;
            let values = bytes.get(position..position + 2 * LABELS)?;
            position += 2 * LABELS;
            let target = weights.rows.get_mut(row)?;
            for (label, pair) in values.chunks_exact(2).enumerate() {
                target[label] = i16::from_le_bytes([pair[0], pair[1]]);
            }
        }
        Some(weights)
    }

    /// Quantizes float weights (row-major, `LABELS` per row) dropping values below `threshold`.
    pub fn quantize(bits: u32, values: &[f32], threshold: f32) -> Weights {
        let largest = values
            .iter()
            .fold(0f32, |largest, value| largest.max(value.abs()));
        let scale = if largest > 0.0 {
            32767.0 / largest
        } else {
            1.0
        };
        let mut weights = Weights::empty(bits);
        for (row, chunk) in weights.rows.iter_mut().zip(values.chunks_exact(LABELS)) {
            for (target, &value) in row.iter_mut().zip(chunk) {
                if value.abs() >= threshold {
                    *target = (value * scale).round() as i16;
                }
            }
        }
        weights
    }

    /// Serializes the table (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.push(self.bits as u8);
        bytes.push(LABELS as u8);
        let stored = self
            .rows
            .iter()
            .filter(|row| row.iter().any(|&value| value != 0))
            .count();
        bytes.extend_from_slice(&(stored as u32).to_le_bytes());
        let mut last = 0usize;
        for (index, row) in self.rows.iter().enumerate() {
            if row.iter().all(|&value| value == 0) {
                continue;
            }
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
        for &feature in features {
            let Some(row) = self.rows.get(feature as usize) else {
                continue;
            };
            for (score, &weight) in scores.iter_mut().zip(row) {
                *score += i32::from(weight);
            }
        }
    }

    /// True when every weight is zero (no trained model).
    pub fn is_zero(&self) -> bool {
        self.rows
            .iter()
            .all(|row| row.iter().all(|&value| value == 0))
    }
}

/// Appends an unsigned LEB128 varint.
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
