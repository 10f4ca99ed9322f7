package io.mambarec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.MmrecFolderReader;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.mambarec.MambaRecDefinition;
import io.mambarec.runtime.DjlEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seed ensemble scores by the sum of its members' inner products, and is saved and rebuilt as
 * one artifact (format 4, its members' seeds in the manifest) with the same scores.
 */
class SeedEnsembleTest {

    @BeforeAll
    static void offline() {
        DjlEnvironment.configureOffline();
    }

    @Test
    void scoresAreTheSumOfTheMembersScores() {
        Embeddings a = new Embeddings(2, 3, 2, new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1, 1, 1});
        Embeddings b = new Embeddings(2, 3, 1, new float[] {5, -1}, new float[] {2, 3, -4});
        Embeddings both = SeedEnsemble.concatenate(List.of(a, b));
        assertThat(both.dim()).isEqualTo(3);
        for (int u = 0; u < 2; u++) {
            for (int i = 0; i < 3; i++) {
                assertThat(both.score(u, i)).isEqualTo(a.score(u, i) + b.score(u, i));
            }
        }
    }

    @Test
    void anEnsembleIsSavedAndRebuiltWithTheSameScores(@TempDir Path dir) {
        Dataset data = MmrecFolderReader.read(SyntheticData.writeFolderWithFeatures(dir, 3, 8));
        ModelDefinition mambarec = Models.get(MambaRecDefinition.NAME);
        Hyperparameters params = mambarec.resolve(Map.of("embedding_size", "8", "knn_k", "3"));
        Embeddings expected;
        ModelArtifact artifact;
        try (NDManager manager = NDManager.newBaseManager();
                SeedEnsemble ensemble = new SeedEnsemble(
                        List.of(
                                mambarec.create(data, params, manager, 11),
                                mambarec.create(data, params, manager, 12),
                                mambarec.create(data, params, manager, 13)),
                        List.of(11L, 12L, 13L))) {
            expected = ensemble.embeddings();
            artifact = ModelArtifact.of(ensemble, data, 11);
        }
        assertThat(expected.dim()).isEqualTo(24);
        assertThat(artifact.manifest().formatVersion())
                .isEqualTo(ModelManifest.FORMAT_VERSION)
                .isEqualTo(4);
        assertThat(artifact.manifest().memberSeeds()).containsExactly(11L, 12L, 13L);
        assertThat(artifact.manifest().model()).isEqualTo(MambaRecDefinition.NAME);
        assertThat(artifact.manifest().provenance().seed()).isEqualTo(11);

        Path saved = dir.resolve("model");
        artifact.writeTo(saved);
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel rebuilt = ModelArtifact.readFrom(saved).restore(manager)) {
            assertThat(rebuilt).isInstanceOf(SeedEnsemble.class);
            assertThat(((SeedEnsemble) rebuilt).seeds()).containsExactly(11L, 12L, 13L);
            Embeddings again = rebuilt.embeddings();
            assertThat(again.users()).containsExactly(expected.users());
            assertThat(again.items()).containsExactly(expected.items());
        }
    }

    @Test
    void aSingleModelIsStillWrittenInTheFormatOlderBuildsRead(@TempDir Path dir) {
        Dataset data = MmrecFolderReader.read(SyntheticData.writeFolderWithFeatures(dir, 3, 8));
        ModelDefinition mambarec = Models.get(MambaRecDefinition.NAME);
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model =
                        mambarec.create(data, mambarec.resolve(Map.of("embedding_size", "8")), manager, 5)) {
            ModelManifest manifest = ModelArtifact.of(model, data, 5).manifest();
            assertThat(manifest.formatVersion())
                    .isEqualTo(ModelManifest.SINGLE_MODEL_FORMAT)
                    .isEqualTo(3);
            assertThat(manifest.memberSeeds()).isNull();
            assertThat(manifest.members()).isEqualTo(1);
        }
    }

    @Test
    void membersMustShareOneSetting(@TempDir Path dir) {
        Dataset data = MmrecFolderReader.read(SyntheticData.writeFolderWithFeatures(dir, 3, 8));
        ModelDefinition mambarec = Models.get(MambaRecDefinition.NAME);
        try (NDManager manager = NDManager.newBaseManager()) {
            RecommenderModel a = mambarec.create(data, mambarec.resolve(Map.of("embedding_size", "8")), manager, 1);
            RecommenderModel b = mambarec.create(data, mambarec.resolve(Map.of("embedding_size", "16")), manager, 2);
            assertThatThrownBy(() -> new SeedEnsemble(List.of(a, b), List.of(1L, 2L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one setting");
            a.close();
            b.close();
        }
    }
}
