package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.NoGrad;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.nn.GraphBuffers;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.Scalars;

/**
 * LightGCN (He et al., SIGIR 2020) as the MMRec toolbox's {@code models/lightgcn.py}:
 * X_0 = [E_u; E_i], X_{l+1} = A_hat X_l for {@code layers} layers, final = mean(X_0 .. X_L);
 * loss = BPRLoss on the final embeddings + reg_weight * EmbLoss on the batch's EGO embeddings
 * (rows of E_u and E_i, not the propagated ones). E_u, E_i initialised with xavier_uniform_.
 */
public final class LightGcn extends EmbeddingTablesModel {

    static final String ADJACENCY = "adjacency";
    /** Formats 1 and 2 saved A_hat as these two arrays: indices 2 x nnz (int64, rows then columns) and values. */
    private static final String FORMAT_2_INDICES = "adjacency.indices";

    private static final String FORMAT_2_VALUES = "adjacency.values";

    /** A_hat as a sparse COO tensor; saved with the state as {@link GraphBuffers}. */
    private final NDArray adjacency;

    private final int layers;

    LightGcn(Hyperparameters params, ModelShape shape, ParameterSet arrays, SparseMatrix adjacency) {
        super(params, shape, arrays);
        GraphBuffers.register(arrays, ADJACENCY, adjacency);
        this.adjacency = adjacency.toNDArray(arrays.manager());
        this.layers = params.getInt(LightGcnDefinition.LAYERS);
    }

    /** A_hat as a saved state holds it, in this format's encoding or in formats 1 and 2's. */
    static SparseMatrix savedAdjacency(NDList state, ModelShape shape) {
        int nodes = shape.numUsers() + shape.numItems();
        if (!state.contains(FORMAT_2_INDICES)) {
            return GraphBuffers.read(state, ADJACENCY, nodes, nodes);
        }
        long[] indices = GraphBuffers.require(state, FORMAT_2_INDICES)
                .toType(DataType.INT64, false)
                .toLongArray();
        float[] values = GraphBuffers.require(state, FORMAT_2_VALUES).toFloatArray();
        int nnz = values.length;
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            rows[k] = Math.toIntExact(indices[k]);
            cols[k] = Math.toIntExact(indices[nnz + k]);
        }
        return new SparseMatrix(nodes, nodes, rows, cols, values);
    }

    /** Loads a saved state; one of formats 1 and 2 (a stored version, a checkpoint) has its A_hat re-encoded first. */
    @Override
    public void loadState(NDList state) {
        if (!state.contains(FORMAT_2_INDICES)) {
            super.loadState(state);
            return;
        }
        try (NDManager scratch = arrays.manager().newSubManager()) {
            NDList current = new NDList();
            for (NDArray array : state) {
                if (!array.getName().equals(FORMAT_2_INDICES)
                        && !array.getName().equals(FORMAT_2_VALUES)) {
                    current.add(array);
                }
            }
            current.addAll(GraphBuffers.arrays(ADJACENCY, savedAdjacency(state, shape), scratch));
            super.loadState(current);
        }
    }

    @Override
    public String name() {
        return LightGcnDefinition.NAME;
    }

    /** Propagation over the user-item graph: the mean of the layer outputs, (U + I) x d. */
    private NDArray propagate() {
        NDArray x = userEmbedding.concat(itemEmbedding, 0);
        NDList outputs = new NDList(x);
        for (int l = 0; l < layers; l++) {
            x = adjacency.matMul(x);
            outputs.add(x);
        }
        return NDArrays.stack(outputs, 1).mean(new int[] {1});
    }

    @Override
    public NDArray trainingLoss(TrainingBatch batch) {
        NDArray all = propagate();
        int numUsers = shape.numUsers();
        NDArray users = all.get(new NDIndex(":{}", numUsers));
        NDArray items = all.get(new NDIndex("{}:", numUsers));
        NDArray u = Rows.of(users, batch.users());
        NDArray i = Rows.of(items, batch.positives());
        NDArray j = Rows.of(items, batch.negatives());
        NDArray mf = PairwiseLosses.bpr(PairwiseLosses.rowDot(u, i), PairwiseLosses.rowDot(u, j));
        NDArray reg = PairwiseLosses.embedding(
                Rows.of(userEmbedding, batch.users()),
                Rows.of(itemEmbedding, batch.positives()),
                Rows.of(itemEmbedding, batch.negatives()));
        return mf.add(Scalars.times(reg, regWeight));
    }

    @Override
    public Embeddings embeddings() {
        try (NoGrad noGrad = NoGrad.open();
                NDScope scope = new NDScope()) {
            float[] all = propagate().toFloatArray();
            int d = dim();
            int split = shape.numUsers() * d;
            return new Embeddings(
                    shape.numUsers(),
                    shape.numItems(),
                    d,
                    java.util.Arrays.copyOfRange(all, 0, split),
                    java.util.Arrays.copyOfRange(all, split, all.length));
        }
    }
}
