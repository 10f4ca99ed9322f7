package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.SparseMatrix;

/**
 * How a model saves a sparse graph with its state, so that a restored model needs no dataset:
 * three fixed buffers {@code graph.NAME.rows} and {@code graph.NAME.cols} (int32) and
 * {@code graph.NAME.values} (float32), one entry of the coordinate form per position.
 */
public final class GraphBuffers {

    private static final String PREFIX = "graph.";

    private GraphBuffers() {}

    /** Registers {@code graph} as fixed buffers of {@code params}: saved, never trained, checked on load. */
    public static void register(ParameterSet params, String name, SparseMatrix graph) {
        for (NDArray array : arrays(name, graph, params.manager())) {
            params.fixedBuffer(array.getName(), array);
        }
    }

    /** The graph's three named arrays, owned by {@code manager}. */
    public static NDList arrays(String name, SparseMatrix graph, NDManager manager) {
        NDArray rows = manager.create(graph.rowIndex());
        rows.setName(PREFIX + name + ".rows");
        NDArray cols = manager.create(graph.colIndex());
        cols.setName(PREFIX + name + ".cols");
        NDArray values = manager.create(graph.values());
        values.setName(PREFIX + name + ".values");
        return new NDList(rows, cols, values);
    }

    /** The graph {@link #register} stored in a saved state, a {@code rows x cols} matrix. */
    public static SparseMatrix read(NDList state, String name, int rows, int cols) {
        return new SparseMatrix(
                rows,
                cols,
                require(state, PREFIX + name + ".rows").toIntArray(),
                require(state, PREFIX + name + ".cols").toIntArray(),
                require(state, PREFIX + name + ".values").toFloatArray());
    }

    /** A named array of a saved state, or a clear error. */
    public static NDArray require(NDList state, String name) {
        NDArray array = state.get(name);
        if (array == null) {
            throw new IllegalArgumentException("saved model has no " + name);
        }
        return array;
    }
}
