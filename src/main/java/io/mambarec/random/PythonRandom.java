package io.mambarec.random;

/**
 * The draws of CPython's {@code random} module (version 2 seeding, Mersenne Twister) that MMRec's
 * training data loader makes: {@code random.shuffle} of a list and {@code random.sample(list, 1)}.
 */
public final class PythonRandom {

    private final MersenneTwister mt;

    /** {@code random.seed(seed)} for an integer: init_by_array over |seed|'s 32-bit words, lowest first. */
    public PythonRandom(long seed) {
        long magnitude = Math.abs(seed);
        int high = (int) (magnitude >>> 32);
        int low = (int) magnitude;
        this.mt = MersenneTwister.seededByArray(high == 0 ? new int[] {low} : new int[] {low, high});
    }

    /** {@code random.getrandbits(k)} for 1 <= k <= 32. */
    public long getrandbits(int k) {
        if (k < 1 || k > 32) {
            throw new IllegalArgumentException("k must be in [1, 32], not " + k);
        }
        return mt.nextUnsigned32() >>> (32 - k);
    }

    /** {@code random._randbelow(n)}: rejection sampling on n.bit_length() bits, uniform on [0, n). */
    public int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, not " + n);
        }
        int bits = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(bits);
        while (r >= n) {
            r = getrandbits(bits);
        }
        return (int) r;
    }

    /** {@code random.shuffle(x)}: Fisher-Yates from the last position down. */
    public void shuffle(int[] x) {
        FisherYates.shuffle(x, i -> randbelow(i + 1));
    }

    /** {@code random.sample(population, 1)[0]}: for one element both of CPython's paths draw randbelow(len). */
    public int sampleOne(int[] population) {
        return population[randbelow(population.length)];
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
