package io.mambarec.random;

/**
 * The draws of NumPy's legacy global {@code RandomState} ({@code np.random.seed(seed)}) that
 * MMRec's data loader makes every epoch: {@code df.sample(frac=1)} is pandas'
 * {@code np.random.choice(n, n, replace=False)}, i.e. {@code permutation(n)}, i.e. an in-place
 * Fisher-Yates shuffle whose index j <= i comes from masked rejection sampling.
 */
public final class NumpyRandomState {

    private final MersenneTwister mt;

    /** {@code np.random.seed(seed)}: init_genrand; NumPy accepts 0 .. 2^32 - 1. */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("NumPy seeds lie in [0, 2^32 - 1], not " + seed);
        }
        this.mt = MersenneTwister.seeded((int) seed);
    }

    /** NumPy's {@code random_interval(max)}: uniform on [0, max] by masking to the smallest 2^k - 1 >= max. */
    public int interval(int max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = mt.nextUnsigned32() & mask;
        } while (value > max);
        return (int) value;
    }

    /**
     * {@code RandomState.shuffle} of a 1-d array, in place. Applied to the row order of a table it
     * gives exactly {@code table.take(permutation(n))}, pandas' {@code sample(frac=1)}.
     */
    public void shuffle(int[] x) {
        FisherYates.shuffle(x, this::interval);
    }

    /** The generator's position, for a checkpoint ({@link MersenneTwister#position()}). */
    public int[] position() {
        return mt.position();
    }

    /** Continues from a {@link #position()}. */
    public void moveTo(int[] position) {
        mt.moveTo(position);
    }
}
