package io.mambarec.data;

import java.util.Arrays;

/**
 * A dense row-major float matrix of item features for one modality: row i belongs to item i.
 *
 * @param rows number of items
 * @param cols feature dimension
 * @param values rows * cols values, row-major
 */
public record FeatureMatrix(int rows, int cols, float[] values) {

    public FeatureMatrix {
        if (rows < 0 || cols <= 0 || values.length != (long) rows * cols) {
            throw new IllegalArgumentException(
                    "feature matrix of " + rows + " x " + cols + " cannot hold " + values.length + " values");
        }
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        return Arrays.copyOfRange(values, i * cols, (i + 1) * cols);
    }
}
