//! The unit tests' random numbers. Tests that try many generated inputs
//! (damaged records, random tables, broken PDFs) take them from this small
//! generator, so that every run and every machine tries the same ones and
//! a failure can be run again; no dependency is needed for it.

/// Marsaglia's xorshift64 (shifts 13, 7, 17): fast and good enough to
/// spread test inputs, and for nothing else.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`; 0, which xorshift never leaves, is taken
    /// as 1.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        let s = &mut self.0;
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        (*s % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_same_seed_gives_the_same_numbers_and_every_value_comes_up() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut seen = [0usize; 10];
        for _ in 0..10_000 {
            let n = a.below(10);
            assert_eq!(n, b.below(10));
            seen[n] += 1;
        }
        // 1,000 of each expected: none far from it.
        assert!(seen.iter().all(|&k| (800..1200).contains(&k)), "{seen:?}");
        assert_eq!(Rng::new(0).below(0), 0);
    }
}
