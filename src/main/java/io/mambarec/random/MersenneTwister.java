package io.mambarec.random;

/**
 * MT19937 (Matsumoto and Nishimura, 1998), the 32-bit generator behind Python's {@code random},
 * NumPy's legacy {@code RandomState} and PyTorch's CPU generator. Written out here because the
 * three seed it differently ({@link #seeded} vs {@link #seededByArray}) and a run that replays
 * their streams needs both, bit for bit; java.util.Random and the JDK's generators are other
 * algorithms.
 */
public final class MersenneTwister {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int index = N;

    private MersenneTwister() {}

    /** The reference {@code init_genrand(seed)}: NumPy's {@code seed(int)}, {@code torch.manual_seed}. */
    public static MersenneTwister seeded(int seed) {
        MersenneTwister mt = new MersenneTwister();
        mt.initGenrand(seed);
        return mt;
    }

    /** The reference {@code init_by_array(key)}: Python's {@code random.seed(int)}. */
    public static MersenneTwister seededByArray(int[] key) {
        MersenneTwister mt = new MersenneTwister();
        mt.initGenrand(19650218);
        int i = 1;
        int j = 0;
        int[] s = mt.state;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            s[i] = (s[i] ^ ((s[i - 1] ^ (s[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                s[0] = s[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            s[i] = (s[i] ^ ((s[i - 1] ^ (s[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                s[0] = s[N - 1];
                i = 1;
            }
        }
        s[0] = UPPER_MASK;
        return mt;
    }

    private void initGenrand(int seed) {
        state[0] = seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** The generator's position: its 624 state words and the read index (625 ints), for a checkpoint. */
    public int[] position() {
        int[] saved = java.util.Arrays.copyOf(state, N + 1);
        saved[N] = index;
        return saved;
    }

    /** Continues from a {@link #position()}. */
    public void moveTo(int[] position) {
        if (position.length != N + 1 || position[N] < 0 || position[N] > N) {
            throw new IllegalArgumentException("not a Mersenne Twister position");
        }
        System.arraycopy(position, 0, state, 0, N);
        index = position[N];
    }

    /** The next 32 random bits (the reference {@code genrand_int32}), as an unsigned value. */
    public long nextUnsigned32() {
        return nextInt() & 0xffffffffL;
    }

    /** The next 32 random bits as a Java int (two's complement of the unsigned value). */
    public int nextInt() {
        if (index >= N) {
            twist();
        }
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & UPPER_MASK) | (state[(k + 1) % N] & LOWER_MASK);
            state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }
}
