package io.mambarec.serving;

/** Small float-vector helpers for the serving hot path (plain arrays, no DJL). */
final class Vectors {

    private Vectors() {
    }

    /** Inner product of a[aOffset..+dim) and b[bOffset..+dim); four float accumulators let the JIT pipeline it. */
    static double dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < dim; k += 4) {
            s0 += a[aOffset + k] * b[bOffset + k];
            s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
            s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
            s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
        }
        for (; k < dim; k++) {
            s0 += a[aOffset + k] * b[bOffset + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A unit-length copy of {@code v}; the zero vector stays zero. */
    static float[] unit(float[] v) {
        double norm = Math.sqrt(dot(v, 0, v, 0, v.length));
        float[] out = new float[v.length];
        if (norm > 0) {
            for (int k = 0; k < v.length; k++) {
                out[k] = (float) (v[k] / norm);
            }
        }
        return out;
    }
}
