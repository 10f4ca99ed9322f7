package io.mambarec.serving;

/** Small float-vector helpers for the serving hot path (plain arrays, no DJL). */
final class Vectors {

    private Vectors() {
    }

    static double dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
            s += a[aOffset + k] * b[bOffset + k];
        }
        return s;
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
