// Property tests run from a fixed seed so that CI is repeatable; FUZZ_SEED=random explores new
// inputs (fast-check prints the seed of any failure), FUZZ_SEED=<n> replays one.
import fc from 'fast-check';

const wanted = process.env.FUZZ_SEED;
if (wanted !== 'random') fc.configureGlobal({ seed: wanted ? Number(wanted) : 20261125 });
