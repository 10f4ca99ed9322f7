package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.mambarec.data.Dataset;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.NoGrad;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.mgcn.MgcnDefinition;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.Scalars;
import io.mambarec.runtime.DjlEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MambaRec network (and MGCN, the same network with MambaRec's additions off) on a small planted dataset. */
class MambaRecModelTest {

    private static final ModelDefinition MAMBAREC = new MambaRecDefinition();
    private static final ModelDefinition MGCN = new MgcnDefinition();
    private static Dataset data;
    private NDManager manager;

    @BeforeAll
    static void dataset() {
        DjlEnvironment.configureOffline();
        data = PlantedDataset.create(3, 40, 4, 10, List.of("image", "text"), 16);
    }

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(17);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private MambaRec model(ModelDefinition definition, Dataset dataset, Map<String, String> overrides) {
        return (MambaRec) definition.create(dataset, definition.resolve(overrides), manager, 42);
    }

    /** Six training interactions of {@code dataset} and negatives from the other end of the catalogue. */
    private static TrainingBatch batch(Dataset dataset, NDManager batchManager) {
        long[] users = new long[6];
        long[] positives = new long[6];
        long[] negatives = new long[6];
        for (int b = 0; b < 6; b++) {
            int k = b * 7 % dataset.train().size();
            users[b] = dataset.train().users()[k];
            positives[b] = dataset.train().items()[k];
            negatives[b] = dataset.numItems() - 1 - positives[b];
        }
        return new TrainingBatch(
                batchManager.create(users), batchManager.create(positives), batchManager.create(negatives));
    }

    /** One training step's loss and gradients (accumulated into the parameters' grads). */
    private static float lossWithGradients(MambaRec model, Dataset dataset) {
        try (NDManager batchManager = NDManager.newBaseManager();
                NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = model.trainingLoss(batch(dataset, batchManager));
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    private static float loss(MambaRec model, Dataset dataset) {
        try (NoGrad noGrad = NoGrad.open();
                NDManager batchManager = NDManager.newBaseManager();
                NDScope scope = new NDScope()) {
            return model.trainingLoss(batch(dataset, batchManager)).getFloat();
        }
    }

    @Test
    void gradientsReachEveryParameter() {
        for (ModelDefinition definition : List.of(MAMBAREC, MGCN)) {
            try (MambaRec model = model(definition, data, Map.of())) {
                lossWithGradients(model, data);
                model.trainableParameters().forEach((name, parameter) -> {
                    // autograd defines a gradient exactly for the parameters the loss depends on
                    try (NDArray gradient = JniUtils.getGradient((PtNDArray) parameter)) {
                        assertThat(gradient)
                                .as(definition.name() + " " + name + " is not reached")
                                .isNotNull();
                        // DREAM's channel attention enters max(a_c, a_s) through a ReLU and may lose on every
                        // row of so small a dataset (then its gradient is exactly 0, as in the authors' code);
                        // DreamTest shows its gradient when it wins
                        // the branch biases before DREAM's BatchNorm have gradient exactly 0 (DreamTest)
                        if (!name.endsWith("channel_attention.weight")
                                && !DreamTest.BIAS_BEFORE_BATCH_NORM
                                        .matcher(name)
                                        .matches()) {
                            assertThat(gradient.abs().sum().getFloat())
                                    .as(definition.name() + " " + name)
                                    .isPositive();
                        }
                    }
                });
            }
        }
    }

    @Test
    void fusionWeightsSumToOnePerNode() {
        try (MambaRec model = model(MAMBAREC, data, Map.of())) {
            float[] alpha = model.fusionWeights();
            int nodes = data.numUsers() + data.numItems();
            assertThat(alpha).hasSize(nodes * 2);
            for (int node = 0; node < nodes; node++) {
                assertThat(alpha[2 * node] + alpha[2 * node + 1]).isCloseTo(1f, within(1e-6f));
                assertThat(alpha[2 * node]).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void initialisesAsTheAuthorsCode() {
        try (MambaRec model = model(MAMBAREC, data, Map.of())) {
            Map<String, NDArray> p = model.trainableParameters();
            DreamTest.assertUniform(p.get("user_embedding"), Math.sqrt(6.0 / (data.numUsers() + 64)));
            DreamTest.assertUniform(p.get("item_embedding"), Math.sqrt(6.0 / (data.numItems() + 64)));
            // visual reduction 16 -> 2 -> 64; the second modality projects 16 -> 64
            assertThat(p.get("modality.image.reduce.weight").getShape().getShape())
                    .containsExactly(2, 16);
            DreamTest.assertUniform(p.get("modality.image.reduce.weight"), 1 / Math.sqrt(16));
            DreamTest.assertUniform(p.get("modality.image.projection.weight"), 1 / Math.sqrt(2));
            DreamTest.assertUniform(p.get("modality.text.projection.bias"), 1 / Math.sqrt(16));
            assertThat(p).doesNotContainKey("modality.text.reduce.weight");
            DreamTest.assertUniform(p.get("modality.text.gate.weight"), 1 / Math.sqrt(64));
            DreamTest.assertUniform(p.get("modality.image.preference_gate.weight"), 1 / Math.sqrt(64));
            DreamTest.assertUniform(p.get("fusion.query.0.weight"), 1 / Math.sqrt(64));
            DreamTest.assertUniform(p.get("fusion.query.2.weight"), 1 / Math.sqrt(64));
            assertThat(p).doesNotContainKey("fusion.query.2.bias");
            DreamTest.assertUniform(p.get("modality.text.dream.branch4.conv.weight"), 1 / Math.sqrt(9 * 64));
            assertThat(p.get("layer_norm.weight").toFloatArray()).containsOnly(1f);
            assertThat(p.get("layer_norm.bias").toFloatArray()).containsOnly(0f);
            // feature tables start as the raw features and are trained
            assertThat(p.get("modality.text.features").toFloatArray())
                    .containsExactly(data.features().get("text").values());
        }
    }

    @Test
    void mgcnHasNoneOfMambaRecsAdditions() {
        try (MambaRec model = model(MGCN, data, Map.of())) {
            assertThat(model.config().userItemLayers()).isEqualTo(2);
            assertThat(model.trainableParameters().keySet())
                    .noneMatch(
                            name -> name.contains("dream") || name.contains("layer_norm") || name.contains("reduce"));
            assertThat(model.buffers().keySet()).allMatch(name -> name.startsWith("graph."));
        }
    }

    @Test
    void ablationSwitchesRemoveTheirPart() {
        // dropout 0 makes the loss deterministic; the same seed gives every variant the same weights, and
        // training-mode outputs do not depend on running statistics, so the parts compare exactly
        float withAll;
        float[] runningMeanWithMmd;
        try (MambaRec model = model(MAMBAREC, data, Map.of("dropout", "0"))) {
            withAll = loss(model, data);
            runningMeanWithMmd = model.buffers()
                    .get("modality.image.dream.branches.bn.running_mean")
                    .toFloatArray();
        }
        try (MambaRec model = model(MAMBAREC, data, Map.of("dropout", "0", "mmd", "false"))) {
            float withoutMmd = loss(model, data);
            float[] runningMean = model.buffers()
                    .get("modality.image.dream.branches.bn.running_mean")
                    .toFloatArray();
            float mmdPart;
            try (NDManager batchManager = NDManager.newBaseManager();
                    NDScope scope = new NDScope()) {
                MambaRec.Views views = model.forward(Mode.TRAIN);
                NDArray positives = batch(data, batchManager).positives();
                mmdPart = 0.1f
                        * new Mmd(1.0)
                                .loss(
                                        views.modalityFeatures().get(0).get(positives),
                                        views.modalityFeatures().get(1).get(positives))
                                .getFloat();
            }
            assertThat(mmdPart).isPositive();
            assertThat(withAll - withoutMmd).isCloseTo(mmdPart, within(1e-5f));
            // the authors' second DREAM pass for MMD updates BatchNorm's running mean twice: 0.19 b, not 0.1 b
            for (int c = 0; c < runningMean.length; c++) {
                assertThat(runningMeanWithMmd[c]).isCloseTo(runningMean[c] * 1.9f, within(1e-5f));
            }
        }
        try (MambaRec model = model(MAMBAREC, data, Map.of("dropout", "0", "cl", "false"))) {
            float withoutCl = loss(model, data);
            float clPart;
            try (NDManager batchManager = NDManager.newBaseManager();
                    NDScope scope = new NDScope()) {
                MambaRec.Views views = model.forward(Mode.TRAIN);
                TrainingBatch b = batch(data, batchManager);
                int users = data.numUsers();
                InfoNce nce = new InfoNce(0.2);
                NDArray items = nce.loss(
                        views.side().get(users + ":").get(b.positives()),
                        views.userItem().get(users + ":").get(b.positives()));
                NDArray byUser = nce.loss(
                        views.side().get(":" + users).get(b.users()),
                        views.userItem().get(":" + users).get(b.users()));
                clPart = 0.01f * items.add(byUser).getFloat();
            }
            assertThat(clPart).isPositive();
            assertThat(withAll - withoutCl).isCloseTo(clPart, within(1e-5f));
        }
        try (MambaRec model = model(MAMBAREC, data, Map.of("dream", "false"))) {
            assertThat(model.trainableParameters().keySet()).noneMatch(name -> name.contains("dream"));
            assertThat(model.buffers().keySet()).noneMatch(name -> name.contains("running"));
        }
    }

    @Test
    void lossOnTheBatchNodesHasTheWholeGraphLossAndGradients() {
        for (ModelDefinition definition : List.of(MAMBAREC, MGCN)) {
            try (MambaRec model = model(definition, data, Map.of())) {
                // the same dropout draws in both passes
                Engine.getInstance().setRandomSeed(3);
                float onBatchNodes = lossWithGradients(model, data);
                Map<String, float[]> gradients = takeGradients(model);
                Engine.getInstance().setRandomSeed(3);
                float onAllNodes;
                try (NDManager batchManager = NDManager.newBaseManager();
                        NDScope scope = new NDScope();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = wholeGraphLoss(model, batch(data, batchManager));
                    collector.backward(loss);
                    onAllNodes = loss.getFloat();
                }
                assertThat(onBatchNodes).as(definition.name()).isCloseTo(onAllNodes, within(1e-5f));
                takeGradients(model)
                        .forEach((name, direct) -> assertThat(gradients.get(name))
                                .as(definition.name() + " " + name)
                                .containsExactly(direct, within(1e-6f)));
            }
        }
    }

    /**
     * The loss as the specification writes it: Z, the side view and H on every node, then BPR on the
     * batch's rows, InfoNCE and MMD over all B x B pairs of batch rows (repeats included).
     */
    private static NDArray wholeGraphLoss(MambaRec model, TrainingBatch b) {
        MambaRecConfig c = model.config();
        int users = model.shape().numUsers();
        MambaRec.Views v = model.forward(Mode.TRAIN);
        NDArray zUsers = v.z().get(":" + users);
        NDArray zItems = v.z().get(users + ":");
        NDArray loss = new BprLoss(c.regWeight(), c.batchSize())
                .loss(zUsers.get(b.users()), zItems.get(b.positives()), zItems.get(b.negatives()));
        if (c.contrastive()) {
            InfoNce nce = new InfoNce(c.clTemperature());
            NDArray items = nce.loss(
                    v.side().get(users + ":").get(b.positives()),
                    v.userItem().get(users + ":").get(b.positives()));
            NDArray byUser = nce.loss(
                    v.side().get(":" + users).get(b.users()),
                    v.userItem().get(":" + users).get(b.users()));
            loss = loss.add(Scalars.times(items.add(byUser), c.clWeight()));
        }
        if (c.mmd()) {
            NDArray mmd = new Mmd(c.mmdBandwidth())
                    .loss(
                            v.modalityFeatures().get(0).get(b.positives()),
                            v.modalityFeatures().get(1).get(b.positives()));
            loss = loss.add(Scalars.times(mmd, c.mmdWeight()));
        }
        return loss;
    }

    /** Each parameter's gradient as floats; the gradients are then zeroed. */
    private static Map<String, float[]> takeGradients(MambaRec model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        model.trainableParameters().forEach((name, parameter) -> {
            NDArray gradient = parameter.getGradient();
            out.put(name, gradient.toFloatArray());
            gradient.subi(gradient);
        });
        return out;
    }

    @Test
    void savedAndRestoredModelGivesIdenticalEmbeddings() {
        try (MambaRec model = model(MAMBAREC, data, Map.of())) {
            lossWithGradients(model, data); // moves the BatchNorm running statistics off their initial values
            Embeddings before = model.embeddings();
            ModelArtifact artifact = ModelArtifact.of(model, data, 42);
            try (NDManager other = NDManager.newBaseManager();
                    RecommenderModel restored = ModelArtifact.of(artifact.manifestJson(), artifact.parameters())
                            .restore(other)) {
                Embeddings after = restored.embeddings();
                assertThat(after.users()).containsExactly(before.users());
                assertThat(after.items()).containsExactly(before.items());
            }
        }
    }

    @Test
    void runsWithOneOrThreeModalities() {
        Dataset one = PlantedDataset.create(4, 20, 2, 10, List.of("image"), 16);
        Dataset three = PlantedDataset.create(4, 20, 2, 10, List.of("image", "text", "audio"), 16);
        for (Dataset dataset : List.of(one, three)) {
            try (MambaRec model = model(MAMBAREC, dataset, Map.of())) {
                assertThat(lossWithGradients(model, dataset)).isFinite().isPositive();
                Embeddings embeddings = model.embeddings();
                assertThat(embeddings.numItems()).isEqualTo(dataset.numItems());
            }
        }
        Dataset none = PlantedDataset.create(4, 20, 2, 10, List.of(), 16);
        assertThatThrownBy(() -> model(MAMBAREC, none, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modality");
    }

    @Test
    void everyHyperparameterIsSettable() {
        Hyperparameters p = MAMBAREC.resolve(Map.of(
                "layers",
                "2",
                "reg_weight",
                "1e-3",
                "cl_weight",
                "0.1",
                "cl_temperature",
                "0.5",
                "mmd_weight",
                "0.2",
                "mmd_bandwidth",
                "2.0",
                "knn_k",
                "5",
                "reduction",
                "4",
                "dropout",
                "0.1",
                "item_layers",
                "2"));
        MambaRecConfig config = MambaRecConfig.mambaRec(p);
        assertThat(config.userItemLayers()).isEqualTo(2);
        assertThat(config.knnK()).isEqualTo(5);
        assertThat(config.reduction()).isEqualTo(4);
        assertThat(config.mmdBandwidth()).isEqualTo(2.0);
        assertThat(MAMBAREC.resolve(Map.of()).getInt("patience")).isEqualTo(10);
        assertThat(MGCN.resolve(Map.of()).getInt("patience")).isEqualTo(20);
        assertThatThrownBy(() -> MGCN.resolve(Map.of("dream", "false"))).isInstanceOf(IllegalArgumentException.class);
    }
}
