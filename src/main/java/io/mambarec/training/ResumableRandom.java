package io.mambarec.training;

import java.util.Random;

/**
 * A {@link java.util.Random} whose position can be saved and restored for a checkpoint. It draws
 * exactly as {@code new Random(seed)} (the linear congruential generator that Random's
 * documentation specifies, in {@link #next}); it only keeps the 48-bit state where it can be read.
 */
final class ResumableRandom extends Random {

    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    /** The generator's state; set by {@link #setSeed}, which Random's constructor calls (no initialiser here). */
    private long state;

    ResumableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        super.setSeed(seed);
        state = (seed ^ MULTIPLIER) & MASK;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    /** The 48-bit state as two ints (high, low). */
    int[] position() {
        return new int[] {(int) (state >>> 32), (int) state};
    }

    void moveTo(int[] position) {
        if (position.length != 2) {
            throw new IllegalArgumentException("not a random position");
        }
        state = (((long) position[0] << 32) | (position[1] & 0xffffffffL)) & MASK;
    }
}
