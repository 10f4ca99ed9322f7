package io.mambarec.serving;

/** Small float-vector helpers for the serving hot path (plain arrays, no DJL). */
final class Vectors {

    private Vectors() {}

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

    /**
     * out[i] = rows[i] . query for the n rows of a row-major (n x dim) matrix. Four rows at a time
     * with two dimensions per step: eight independent accumulators and one load of each query
     * value per four rows keep the FMA units busy (about twice the speed of one dot product per
     * row; C2 does not turn either form into SIMD, as it cannot rule out that two float arrays alias).
     * A row's score does not depend on the rows scored with it: the same as {@link #scoreRows}.
     */
    static void scoreAll(float[] rows, int n, int dim, float[] query, float[] out) {
        int i = 0;
        if (dim % 2 == 0) {
            for (; i + 3 < n; i += 4) {
                scoreFour(rows, i * dim, (i + 1) * dim, (i + 2) * dim, (i + 3) * dim, dim, query, out, i);
            }
        }
        for (; i < n; i++) {
            out[i] = score(rows, i * dim, dim, query);
        }
    }

    /**
     * out[j] = rows[which[j]] . query for j < count: the rows a filtered request can return only
     * (a category filter admitting a fifth of the catalogue scores a fifth of it), with the kernel
     * and the exact rounding of {@link #scoreAll}.
     */
    static void scoreRows(float[] rows, int dim, int[] which, int count, float[] query, float[] out) {
        int j = 0;
        if (dim % 2 == 0) {
            for (; j + 3 < count; j += 4) {
                scoreFour(
                        rows,
                        which[j] * dim,
                        which[j + 1] * dim,
                        which[j + 2] * dim,
                        which[j + 3] * dim,
                        dim,
                        query,
                        out,
                        j);
            }
        }
        for (; j < count; j++) {
            out[j] = score(rows, which[j] * dim, dim, query);
        }
    }

    /** out[at..at+3] = the four rows starting at o0..o3 dotted with query (dim even). */
    private static void scoreFour(
            float[] rows, int o0, int o1, int o2, int o3, int dim, float[] query, float[] out, int at) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float b0 = 0;
        float b1 = 0;
        float b2 = 0;
        float b3 = 0;
        for (int d = 0; d < dim; d += 2) {
            float w = query[d];
            float v = query[d + 1];
            a0 += w * rows[o0 + d];
            a1 += w * rows[o1 + d];
            a2 += w * rows[o2 + d];
            a3 += w * rows[o3 + d];
            b0 += v * rows[o0 + d + 1];
            b1 += v * rows[o1 + d + 1];
            b2 += v * rows[o2 + d + 1];
            b3 += v * rows[o3 + d + 1];
        }
        out[at] = a0 + b0;
        out[at + 1] = a1 + b1;
        out[at + 2] = a2 + b2;
        out[at + 3] = a3 + b3;
    }

    /** One row, summed as {@link #scoreFour} sums each of its rows (even and odd dimensions apart) when dim is even. */
    private static float score(float[] rows, int offset, int dim, float[] query) {
        if (dim % 2 != 0) {
            return (float) dot(rows, offset, query, 0, dim);
        }
        float a = 0;
        float b = 0;
        for (int d = 0; d < dim; d += 2) {
            a += query[d] * rows[offset + d];
            b += query[d + 1] * rows[offset + d + 1];
        }
        return a + b;
    }

    /** The n rows of a row-major (n x dim) matrix as a dimension-major copy: out[d * n + i] = rows[i * dim + d]. */
    static float[] columns(float[] rows, int n, int dim) {
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                out[d * n + i] = rows[i * dim + d];
            }
        }
        return out;
    }

    /**
     * out[q * n + i] = row i . query q for {@code count} queries stored row-major in {@code queries}
     * from query {@code first} on, from the dimension-major copy of {@link #columns}; dim even. The
     * rounding is exactly {@link #scoreAll}'s (even and odd dimensions each summed in order, then
     * added), and the inner loops run along the items, which C2 compiles to SIMD. Items go in tiles
     * of {@code even.length} (accumulators in L1), each tile serving every query while it is in L2.
     */
    static void scoreColumns(
            float[] columns,
            int n,
            int dim,
            float[] queries,
            int first,
            int count,
            float[] even,
            float[] odd,
            float[] out) {
        int tile = even.length;
        for (int from = 0; from < n; from += tile) {
            int len = Math.min(tile, n - from);
            for (int q = 0; q < count; q++) {
                int qo = (first + q) * dim;
                java.util.Arrays.fill(even, 0, len, 0f);
                java.util.Arrays.fill(odd, 0, len, 0f);
                for (int d = 0; d < dim; d += 2) {
                    float w = queries[qo + d];
                    float v = queries[qo + d + 1];
                    int o = d * n + from;
                    int p = o + n;
                    for (int j = 0; j < len; j++) {
                        even[j] += w * columns[o + j];
                    }
                    for (int j = 0; j < len; j++) {
                        odd[j] += v * columns[p + j];
                    }
                }
                int out0 = q * n + from;
                for (int j = 0; j < len; j++) {
                    out[out0 + j] = even[j] + odd[j];
                }
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
