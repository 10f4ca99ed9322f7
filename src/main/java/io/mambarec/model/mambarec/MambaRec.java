package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import io.mambarec.data.Dataset;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.NoGrad;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.TrainingSettings;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.Scalars;
import io.mambarec.model.nn.TorchLayerNorm;
import io.mambarec.model.nn.TorchLinear;
import io.mambarec.runtime.SparseDenseProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MambaRec (Ren, Ju, Lee, CIKM 2025) as the authors' code computes it, and, with its additions
 * switched off, MGCN (Yu et al., ACM MM 2023), the backbone it extends. The whole graph is
 * propagated every step:
 * <ol>
 * <li>modality features: h_m = Dropout(LayerNorm(DREAM_m(proj_m(F_m)))), the visual slot with
 *     dimensionality reduction;</li>
 * <li>behaviour-guided purifier: e_m = E_i * gate_m(h_m);</li>
 * <li>user-item view H over A_hat; item-item view M_m over S_m and R_hat;</li>
 * <li>behaviour-aware fuser: side from the M_m and H; Z = H + side, score = z_u . z_i.</li>
 * </ol>
 * Loss: BPR + cl_weight * InfoNCE(side, H) on the batch's items and users + mmd_weight * MMD
 * between the DREAM outputs of the first two modality slots on the batch's positive items.
 */
public final class MambaRec implements RecommenderModel {

    private final String name;
    private final Hyperparameters hyperparameters;
    private final MambaRecConfig config;
    private final ModelShape shape;
    private final NDManager manager;
    private final ParameterSet params;

    private final NDArray userEmbedding;
    private final NDArray itemEmbedding;
    private final List<ModalityEncoder> encoders = new ArrayList<>();
    private final TorchLayerNorm layerNorm;
    private final List<TorchLinear> gates = new ArrayList<>();
    private final UserItemView userItemView;
    private final ItemItemView itemItemView;
    private final ModalityFusion fusion;
    private final BprLoss bpr;
    private final InfoNce infoNce;
    private final Mmd mmd;
    /** Batch rows InfoNCE and MMD compare pairwise: the configured batch_size (all rows in the authors' loop). */
    private final int pairwiseRows;

    /**
     * @param rawFeatures each modality's raw I x D_m features (row-major) in slot order, or null
     *     when the state is restored afterwards
     * @param trainingBatchSize interactions per training batch (larger than batch_size in the
     *     scalable loop, see {@link TrainingSettings#batchSizeFor})
     */
    MambaRec(
            String name,
            Hyperparameters hyperparameters,
            MambaRecConfig config,
            ModelShape shape,
            ModelGraphs graphs,
            List<float[]> rawFeatures,
            NDManager parent,
            long seed,
            int trainingBatchSize) {
        if (shape.modalityDims().isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one modality (a <modality>_feat.npy file)");
        }
        this.name = name;
        this.hyperparameters = hyperparameters;
        this.config = config;
        this.shape = shape;
        this.manager = parent.newSubManager();
        this.params = new ParameterSet(manager, seed);
        int d = config.dim();
        userEmbedding = params.xavierUniform("user_embedding", shape.numUsers(), d);
        itemEmbedding = params.xavierUniform("item_embedding", shape.numItems(), d);
        List<String> modalities = new ArrayList<>(shape.modalityDims().keySet());
        for (int m = 0; m < modalities.size(); m++) {
            String modality = modalities.get(m);
            // the authors reduce the visual slot only (their first modality); MGCN has no reduction
            int reduction = m == 0 ? config.reduction() : 0;
            encoders.add(new ModalityEncoder(
                    params,
                    modality,
                    shape.numItems(),
                    shape.modalityDims().get(modality),
                    rawFeatures == null ? null : rawFeatures.get(m),
                    d,
                    reduction,
                    config.dream()));
        }
        layerNorm = config.layerNormDropout() ? new TorchLayerNorm(params, "layer_norm", d) : null;
        for (String modality : modalities) {
            gates.add(new TorchLinear(params, "modality." + modality + ".gate", d, d));
        }
        fusion = new ModalityFusion(params, modalities, d);
        graphs.register(params);
        SparseDenseProduct product = SparseDenseProduct.load(manager);
        userItemView = new UserItemView(graphs.adjacency(), config.userItemLayers(), product, manager);
        itemItemView = new ItemItemView(
                graphs.itemItemInSlotOrder(), graphs.userItem(), config.itemItemLayers(), product, manager);
        // the regulariser's B is the configured batch size, as the authors'; a grown batch (the scalable
        // loop) divides by its own size, so each row weighs the same as in a batch of batch_size
        bpr = new BprLoss(config.regWeight(), Math.max(config.batchSize(), trainingBatchSize));
        pairwiseRows = config.batchSize();
        infoNce = config.contrastive() ? new InfoNce(config.clTemperature()) : null;
        mmd = mmdActive() ? new Mmd(config.mmdBandwidth()) : null;
    }

    /** A freshly initialised model for {@code data}: graphs built from its training split and raw features. */
    public static MambaRec create(
            String name,
            Hyperparameters hyperparameters,
            MambaRecConfig config,
            Dataset data,
            NDManager manager,
            long seed) {
        List<float[]> raw = new ArrayList<>();
        data.features().values().forEach(f -> raw.add(f.values()));
        ModelGraphs graphs = ModelGraphs.build(data, config.knnK(), manager);
        int batchSize =
                TrainingSettings.of(hyperparameters).batchSizeFor(data.train().size());
        return new MambaRec(name, hyperparameters, config, ModelShape.of(data), graphs, raw, manager, seed, batchSize);
    }

    /** A trained model rebuilt from a saved {@link #state()}, graphs included. */
    public static MambaRec restore(
            String name,
            Hyperparameters hyperparameters,
            MambaRecConfig config,
            ModelShape shape,
            NDList state,
            NDManager manager) {
        MambaRec model = new MambaRec(
                name,
                hyperparameters,
                config,
                shape,
                ModelGraphs.fromState(state, shape),
                null,
                manager,
                0,
                config.batchSize());
        model.loadState(state);
        return model;
    }

    /**
     * MMD aligns the first two modality slots (the authors' visual and textual ones); a third or
     * later modality takes part in the fusion but not in MMD, and with one modality there is no MMD.
     */
    private boolean mmdActive() {
        return config.mmd() && encoders.size() >= 2;
    }

    /**
     * The forward pass: Z, the side (fused item-item) view, H, each modality's features before
     * LayerNorm/Dropout (MMD's inputs) and each modality's item-item view M_m; Z, side, H and M_m
     * are given for the nodes asked for ({@link #forward(Mode, NDArray)}), all nodes otherwise.
     */
    record Views(
            NDArray z, NDArray side, NDArray userItem, List<NDArray> modalityFeatures, List<NDArray> modalityViews) {}

    Views forward(Mode mode) {
        return forward(mode, null);
    }

    /**
     * The forward pass with H, the M_m, the fusion and Z computed at the batch's {@code nodes}
     * only (null: every node). What follows the propagation is row by row, and the last
     * propagation step into a node reads that node's rows of the graphs alone, so these rows are
     * the whole-graph computation's (see {@link BatchNodes}).
     */
    Views forward(Mode mode, BatchNodes nodes) {
        List<NDArray> encoded = new ArrayList<>(encoders.size());
        List<NDArray> gated = new ArrayList<>(encoders.size());
        for (int m = 0; m < encoders.size(); m++) {
            // The authors' MMD re-runs DREAM_m(proj_m(F_m)) for the two MMD slots in the same step,
            // in training mode, on the same input: that second pass returns the very same numbers
            // (BatchNorm uses batch statistics; no dropout before its output), so its output is not
            // recomputed here; the first pass's output feeds MMD, and its gradient, the sum over
            // both uses, is the same. The second pass's only other effect, a second update of
            // each BatchNorm's running statistics, is applied (statisticUpdates = 2).
            Mode encoderMode = mmd != null && m < 2 ? mode.withStatisticUpdates(2) : mode;
            NDArray features = encoders.get(m).forward(encoderMode);
            encoded.add(features);
            gated.add(purify(m, features, mode));
        }
        List<NDArray> modalityViews =
                nodes == null ? itemItemView.propagate(gated) : itemItemView.propagateAt(gated, nodes);
        NDArray userItem = nodes == null
                ? userItemView.propagate(userEmbedding, itemEmbedding)
                : userItemView.propagateAt(userEmbedding, itemEmbedding, nodes);
        NDArray side = fusion.fuse(modalityViews, userItem);
        return new Views(userItem.add(side), side, userItem, encoded, modalityViews);
    }

    /** Behaviour-guided purifier: e_m = E_i * gate_m(h_m), h_m = Dropout(LayerNorm(features)). */
    private NDArray purify(int m, NDArray features, Mode mode) {
        NDArray h = features;
        if (layerNorm != null) {
            h = Dropout.dropout(layerNorm.forward(h), (float) config.dropout(), mode.training())
                    .singletonOrThrow();
        }
        return itemEmbedding.mul(Activation.sigmoid(gates.get(m).forward(h)));
    }

    @Override
    public NDArray trainingLoss(TrainingBatch batch) {
        BatchNodes nodes = BatchNodes.of(batch, shape.numUsers());
        Views views = forward(Mode.TRAIN, nodes);
        NDArray z = views.z();
        NDArray loss = bpr.loss(
                rows(z, nodes.userRows(batch.users())),
                rows(z, nodes.itemRows(batch.positives())),
                rows(z, nodes.itemRows(batch.negatives())));
        // InfoNCE and MMD compare every pair of batch rows: computed on the batch's distinct users
        // and items with their counts, the same sums at (D / B)^2 of the cost (DistinctRows). A batch
        // grown beyond batch_size (the scalable loop) compares its first batch_size rows, a random
        // sample of the epoch's shuffled interactions, so their cost per step stays the authors'.
        DistinctRows items = DistinctRows.of(pairwiseRows(batch.positives()));
        if (infoNce != null) {
            DistinctRows users = DistinctRows.of(pairwiseRows(batch.users()));
            NDArray itemNodes = nodes.itemRows(items.indices());
            NDArray userNodes = nodes.userRows(users.indices());
            NDArray itemsNce = infoNce.loss(rows(views.side(), itemNodes), rows(views.userItem(), itemNodes), items);
            NDArray usersNce = infoNce.loss(rows(views.side(), userNodes), rows(views.userItem(), userNodes), users);
            loss = loss.add(Scalars.times(itemsNce.add(usersNce), (float) config.clWeight()));
        }
        if (mmd != null) {
            NDArray x = rows(views.modalityFeatures().get(0), items.indices());
            NDArray y = rows(views.modalityFeatures().get(1), items.indices());
            loss = loss.add(Scalars.times(mmd.loss(x, y, items), (float) config.mmdWeight()));
        }
        return loss;
    }

    private NDArray pairwiseRows(NDArray batchIndices) {
        return batchIndices.getShape().get(0) <= pairwiseRows
                ? batchIndices
                : batchIndices.get(new NDIndex("0:" + pairwiseRows));
    }

    /** Rows of a table, through torch.embedding (deterministic backward on CPU; see {@link Rows#of}). */
    private static NDArray rows(NDArray table, NDArray indices) {
        return Rows.of(table, indices);
    }

    private NDArray userRows(NDArray nodes) {
        return nodes.get(new NDIndex("0:" + shape.numUsers()));
    }

    private NDArray itemRows(NDArray nodes) {
        return nodes.get(new NDIndex(shape.numUsers() + ":"));
    }

    @Override
    public Embeddings embeddings() {
        try (NoGrad noGrad = NoGrad.open();
                NDScope scope = new NDScope()) {
            NDArray z = forward(Mode.EVAL).z();
            return new Embeddings(
                    shape.numUsers(),
                    shape.numItems(),
                    config.dim(),
                    userRows(z).toFloatArray(),
                    itemRows(z).toFloatArray());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public ModelShape shape() {
        return shape;
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return params.trainable();
    }

    /** BatchNorm running statistics and graph buffers, by name. */
    Map<String, NDArray> buffers() {
        return params.buffers();
    }

    MambaRecConfig config() {
        return config;
    }

    /** Attention weights of the fusion in evaluation mode, (U + I) x n, row-major (for tests). */
    float[] fusionWeights() {
        try (NoGrad noGrad = NoGrad.open();
                NDScope scope = new NDScope()) {
            return fusion.attentionWeights(forward(Mode.EVAL).modalityViews()).toFloatArray();
        }
    }

    @Override
    public NDList state() {
        return params.state();
    }

    @Override
    public void loadState(NDList state) {
        params.load(state);
    }

    @Override
    public void close() {
        manager.close();
    }
}
