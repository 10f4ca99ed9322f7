package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.NoGrad;
import io.mambarec.model.TrainingBatch;
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

    /** A_hat as a sparse COO tensor, and the same graph as dense index/value arrays for {@link #state()}. */
    private final NDArray adjacency;

    private final NDList adjacencyState;
    private final int layers;

    LightGcn(
            Hyperparameters params,
            ModelShape shape,
            NDArray userEmbedding,
            NDArray itemEmbedding,
            NDArray adjacency,
            NDList adjacencyState) {
        super(params, shape, userEmbedding, itemEmbedding);
        this.adjacency = adjacency;
        this.adjacencyState = adjacencyState;
        this.layers = params.getInt(LightGcnDefinition.LAYERS);
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

    @Override
    public NDList state() {
        NDList state = super.state();
        state.addAll(adjacencyState);
        return state;
    }

    @Override
    public void close() {
        super.close();
        adjacency.close();
    }
}
