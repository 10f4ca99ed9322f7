package io.mambarec.training;

import io.mambarec.random.FisherYates;
import io.mambarec.random.NumpyRandomState;
import io.mambarec.random.PythonRandom;

/**
 * The training loop's random draws: the shuffle of the training interactions at the start of
 * every epoch, the order of the negative candidates, and each negative.
 */
interface TrainingRandomness {

    /** Shuffles the epoch's row order in place (cumulatively: each epoch permutes the previous order). */
    void shuffleEpoch(int[] order);

    /** Arranges the negative candidates (given in ascending id order) once, before training. */
    void arrangeCandidates(int[] candidates);

    /** A uniform index in [0, bound): which candidate to try as the next negative. */
    int candidateIndex(int bound);

    /** The generators' positions, for a checkpoint. */
    int[] position();

    /** Continues from a {@link #position()} of the same kind of randomness. */
    void moveTo(int[] position);

    /** Our own: one seeded java.util.Random for everything. */
    static TrainingRandomness java(long seed) {
        ResumableRandom random = new ResumableRandom(seed);
        return new TrainingRandomness() {
            @Override
            public void shuffleEpoch(int[] order) {
                FisherYates.shuffle(order, i -> random.nextInt(i + 1));
            }

            @Override
            public void arrangeCandidates(int[] candidates) {}

            @Override
            public int candidateIndex(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public int[] position() {
                return random.position();
            }

            @Override
            public void moveTo(int[] position) {
                random.moveTo(position);
            }
        };
    }

    /**
     * The MMRec toolbox's draws after {@code init_seed(seed)}: the epoch shuffle is pandas'
     * {@code df.sample(frac=1)} on NumPy's global RandomState; the candidate list (its
     * {@code all_items}, sorted) is shuffled once by Python's {@code random.shuffle}, and every
     * negative is {@code random.sample(all_items, 1)}.
     */
    static TrainingRandomness mmrec(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException(
                    "mmrec_rng replays NumPy's RandomState, whose seeds lie in 0 .. 2^32 - 1," + " not " + seed
                            + ": choose such a seed or set mmrec_rng=false");
        }
        PythonRandom python = new PythonRandom(seed);
        NumpyRandomState numpy = new NumpyRandomState(seed);
        return new TrainingRandomness() {
            @Override
            public void shuffleEpoch(int[] order) {
                numpy.shuffle(order);
            }

            @Override
            public void arrangeCandidates(int[] candidates) {
                python.shuffle(candidates);
            }

            @Override
            public int candidateIndex(int bound) {
                return python.randbelow(bound);
            }

            @Override
            public int[] position() {
                int[] p = python.position();
                int[] n = numpy.position();
                int[] both = java.util.Arrays.copyOf(p, p.length + n.length);
                System.arraycopy(n, 0, both, p.length, n.length);
                return both;
            }

            @Override
            public void moveTo(int[] position) {
                int half = position.length / 2;
                python.moveTo(java.util.Arrays.copyOfRange(position, 0, half));
                numpy.moveTo(java.util.Arrays.copyOfRange(position, half, position.length));
            }
        };
    }
}
