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

    /** The (cols x rows) transpose of a row-major (rows x cols) matrix. */
    static float[] transpose(float[] matrix, int rows, int cols) {
        float[] out = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = matrix[r * cols + c];
            }
        }
        return out;
    }

    /**
     * scores[i] = sum_d query[d] * byDimension[d * n + i] for the n rows of a dimension-major matrix:
     * one scaled addition per dimension over contiguous arrays, which the JIT turns into SIMD
     * (a row-by-row dot product is a reduction it does not vectorise).
     */
    static void scoreAll(float[] byDimension, int n, float[] query, float[] scores) {
        java.util.Arrays.fill(scores, 0, n, 0f);
        for (int d = 0; d < query.length; d++) {
            float q = query[d];
            int base = d * n;
            for (int i = 0; i < n; i++) {
                scores[i] += q * byDimension[base + i];
            }
        }
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
