package io.mambarec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.SyntheticData;
import io.mambarec.runtime.DjlEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A saved model's manifest carries its format version and provenance (seed, code version, data
 * fingerprint; settings are its hyper-parameters), and a build refuses a format it does not know.
 */
class ModelProvenanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Dataset DATA = SyntheticData.dataset(1);
    /** The data of the models in {@code format-2/}. */
    private static final Dataset TOY = new Dataset(
            "toy",
            List.of("u0", "u1", "u2", "u3", "u4"),
            List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6"),
            new Interactions(new int[] {0, 0, 1, 1, 2, 3, 3, 4, 4}, new int[] {0, 1, 1, 2, 3, 4, 6, 5, 0}),
            Interactions.empty(),
            Interactions.empty(),
            Map.of());

    @BeforeAll
    static void offline() {
        DjlEnvironment.configureOffline();
    }

    @Test
    void theManifestRecordsFormatSeedCodeVersionDataAndSettings() {
        ModelArtifact artifact = bpr(DATA, 7);
        ModelManifest manifest = artifact.manifest();
        assertThat(manifest.formatVersion()).isEqualTo(ModelManifest.SINGLE_MODEL_FORMAT);
        assertThat(manifest.hyperparameters()).containsEntry("embedding_size", 64);
        Provenance provenance = manifest.provenance();
        assertThat(provenance.seed()).isEqualTo(7);
        assertThat(provenance.codeVersion()).isEqualTo(CodeVersion.current()).matches("[0-9a-f]{40}(-dirty)?");
        assertThat(provenance.data().users()).isEqualTo(SyntheticData.USERS);
        assertThat(provenance.data().items()).isEqualTo(SyntheticData.ITEMS);
        assertThat(provenance.data().train()).isEqualTo(DATA.train().size());
        assertThat(provenance.data().valid()).isEqualTo(DATA.valid().size());
        assertThat(provenance.data().test()).isEqualTo(DATA.test().size());
        assertThat(provenance.data().trainSha256())
                .hasSize(64)
                .isNotEqualTo(provenance.data().sha256());
    }

    @Test
    void theCodeVersionIsACommitOfThisRepositoryAsTheBuildRecordedIt() throws Exception {
        Properties git = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/git.properties")) {
            git.load(in);
        }
        String commit = git.getProperty("git.commit.id");
        assertThat(CodeVersion.current()).startsWith(commit).matches("[0-9a-f]{40}(-dirty)?");
        // a commit of this repository (a linked worktree records the main checkout's HEAD:
        // git-commit-id-maven-plugin#882)
        Process exists = new ProcessBuilder("git", "cat-file", "-e", commit + "^{commit}")
                .redirectErrorStream(true)
                .start();
        String answer = new String(exists.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exists.waitFor()).as(answer).isZero();
        assertThat(CodeVersion.read("/no-such-git.properties")).isEqualTo("unknown");
    }

    @Test
    void theTrainingSplitFingerprintChangesWithTheTrainingSplitOnly() {
        Dataset otherTest = new Dataset(
                "synthetic", DATA.userIds(), DATA.itemIds(), DATA.train(), DATA.valid(), DATA.valid(), Map.of());
        Provenance.Data original = Provenance.Data.of(DATA);
        Provenance.Data changed = Provenance.Data.of(otherTest);
        assertThat(changed.trainSha256()).isEqualTo(original.trainSha256());
        assertThat(changed.sha256()).isNotEqualTo(original.sha256());

        Provenance.Data otherData = Provenance.Data.of(SyntheticData.dataset(2));
        assertThat(otherData.trainSha256()).isNotEqualTo(original.trainSha256());
    }

    @Test
    void provenanceSurvivesTheModelFolder(@TempDir Path dir) {
        ModelArtifact saved = bpr(DATA, 11);
        saved.writeTo(dir);
        ModelArtifact read = ModelArtifact.readFrom(dir);
        assertThat(read.manifest()).isEqualTo(saved.manifest());
        assertThat(read.manifest().provenance().seed()).isEqualTo(11);
    }

    @Test
    void aManifestWithoutFormatVersionIsFormatOneAndStillLoads() {
        ModelArtifact saved = bpr(DATA, 3);
        ObjectNode legacy = (ObjectNode) JSON.readTree(saved.manifestJson());
        legacy.remove("formatVersion");
        legacy.remove("provenance");
        ModelArtifact read = ModelArtifact.of(JSON.writeValueAsBytes(legacy), saved.parameters());
        assertThat(read.manifest().formatVersion()).isEqualTo(1);
        assertThat(read.manifest().provenance()).isNull();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = read.restore(manager)) {
            assertThat(model.name()).isEqualTo("bpr");
        }
    }

    /**
     * Models saved by the build of commit 7dd3580 (format 2, LightGCN's graph in its former
     * encoding), untrained, on {@link #TOY} with seed 999: each loads as the model this build makes
     * from the same data, settings and seed, array by array and embedding by embedding.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lightgcn", "bpr"})
    void aFormatTwoModelLoadsAsTheModelThisBuildMakesFromItsDataAndSeed(String name) throws Exception {
        ModelArtifact saved = ModelArtifact.readFrom(
                Path.of(getClass().getResource("format-2/" + name).toURI()));
        assertThat(saved.manifest().formatVersion()).isEqualTo(2);
        ModelDefinition definition = Models.get(name);
        Hyperparameters params =
                Hyperparameters.fromValues(definition.params(), saved.manifest().hyperparameters());
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel loaded = saved.restore(manager);
                RecommenderModel made = definition.create(
                        TOY, params, manager, saved.manifest().provenance().seed())) {
            NDList loadedState = loaded.state();
            NDList madeState = made.state();
            assertThat(names(loadedState)).isEqualTo(names(madeState));
            for (int k = 0; k < madeState.size(); k++) {
                assertThat(loadedState.get(k).contentEquals(madeState.get(k)))
                        .as(madeState.get(k).getName())
                        .isTrue();
            }
            assertThat(loaded.embeddings().users()).isEqualTo(made.embeddings().users());
            assertThat(loaded.embeddings().items()).isEqualTo(made.embeddings().items());
        }
    }

    @Test
    void aNewerFormatIsRefusedBeforeAnythingElseIsRead(@TempDir Path dir) throws IOException {
        ModelArtifact saved = bpr(DATA, 3);
        ObjectNode newer = (ObjectNode) JSON.readTree(saved.manifestJson());
        newer.put("formatVersion", ModelManifest.FORMAT_VERSION + 1);
        newer.put("someFutureField", "x");
        saved.writeTo(dir);
        Files.write(dir.resolve(ModelArtifact.MANIFEST_FILE), JSON.writeValueAsBytes(newer));

        assertThatThrownBy(() -> ModelArtifact.readFrom(dir))
                .isInstanceOf(UnsupportedModelFormatException.class)
                .hasMessage("the model's format version is " + (ModelManifest.FORMAT_VERSION + 1)
                        + "; this build reads format versions 1 to " + ModelManifest.FORMAT_VERSION
                        + " (a model saved by a newer release needs that release)");
        newer.put("formatVersion", "two");
        assertThatThrownBy(() -> ModelArtifact.of(JSON.writeValueAsBytes(newer), saved.parameters()))
                .isInstanceOf(UnsupportedModelFormatException.class)
                .hasMessageContaining("\"two\"");
    }

    private static List<String> names(NDList state) {
        return state.stream().map(NDArray::getName).toList();
    }

    private static ModelArtifact bpr(Dataset data, long seed) {
        ModelDefinition bpr = Models.get("bpr");
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = bpr.create(data, bpr.resolve(Map.of()), manager, seed)) {
            return ModelArtifact.of(model, data, seed);
        }
    }
}
