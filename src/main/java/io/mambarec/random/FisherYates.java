package io.mambarec.random;

import java.util.function.IntUnaryOperator;

/**
 * The in-place Fisher-Yates shuffle that CPython, NumPy and our own loop share: from the last
 * position down, swap position i with a uniform j in [0, i]. Only the draw of j differs.
 */
public final class FisherYates {

    private FisherYates() {}

    /** @param indexUpTo gives a uniform index in [0, i] for the argument i */
    public static void shuffle(int[] x, IntUnaryOperator indexUpTo) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = indexUpTo.applyAsInt(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}
