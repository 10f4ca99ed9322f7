package io.mambarec.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.serving.ServingModel;
import io.mambarec.storage.ModelParameterChunks;
import io.mambarec.storage.ModelVersionSource;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Model parameters in the registry are stored and read in chunks: a model of tens of MB comes back
 * byte for byte and serves the same embeddings, while the heap the storing and the loading thread
 * allocate (measured with {@code ThreadMXBean.getThreadAllocatedBytes}, a deterministic count) does
 * not hold the parameters again; a corrupted or missing chunk fails the integrity check.
 */
@PostgresSpringBootTest
class ModelVersionChunksTest {

    @Autowired
    ModelRegistry registry;

    @Autowired
    ModelParameterChunks chunks;

    @Autowired
    DataSource dataSource;

    JdbcTemplate jdbc;

    @BeforeEach
    void emptyRegistry() {
        DjlEnvironment.configureOffline();
        PostgresTestDatabase.truncateAll(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void aLargeModelRoundTripsByteForByteWithoutItsSizeAllocatedAgain() throws IOException {
        // warm-up: classes, statements and JIT of both paths, on a small model
        registry.load(store(bpr(SyntheticData.dataset(3), 64, 1)));

        // BPR with d = 1024 for 12,000 users and items: 49 MB of parameters, a small manifest
        ModelArtifact large = bpr(wide(8_000, 4_000), 1024, 7);
        long size = large.parameters().size();
        assertThat(size).isGreaterThan(45_000_000L);

        long before = allocatedBytes();
        long version = store(large);
        long storing = allocatedBytes() - before;

        before = allocatedBytes();
        Embeddings rebuilt = ModelRegistry.embeddingsOf(large); // the same rebuild from memory: not storage's
        long rebuilding = allocatedBytes() - before;

        before = allocatedBytes();
        ServingModel loaded = registry.load(version);
        long loading = allocatedBytes() - before;

        assertThat(chunks.count(version))
                .isEqualTo((int) ((size + ModelParameterChunks.CHUNK_BYTES - 1) / ModelParameterChunks.CHUNK_BYTES))
                .isGreaterThan(1);
        try (InputStream in = chunks.open(version, size)) {
            assertThat(in.readAllBytes()).isEqualTo(large.parameters().readAllBytes());
        }
        assertThat(loaded.embeddings().users()).isEqualTo(rebuilt.users());
        assertThat(loaded.embeddings().items()).isEqualTo(rebuilt.items());

        System.out.printf(
                "parameters %d bytes: storing allocated %d, loading %d, the rebuild from memory %d%n",
                size, storing, loading, rebuilding);
        // storing streams the parameters into the driver: nothing of their size on the heap
        assertThat(storing)
                .as("bytes allocated storing %d bytes of parameters", size)
                .isLessThan(size / 8);
        // loading: the stored bytes cross the driver once, a chunk at a time (binary, not hex text);
        // beyond that and the rebuild itself (its embeddings), nothing of their size
        assertThat(loading - rebuilding - size)
                .as(
                        "bytes allocated loading %d bytes of parameters (%d), less the rebuild from memory (%d)",
                        size, loading, rebuilding)
                .isLessThan(size / 8);
    }

    @Test
    void aCorruptedChunkFailsTheChecksumAndAMissingOneCannotBeRead() {
        long version = store(bpr(SyntheticData.dataset(3), 64, 2));
        assertThat(registry.load(version).embeddings().numUsers()).isEqualTo(SyntheticData.USERS);

        // one byte of a parameter value flipped: the arrays still decode, the hash does not match
        jdbc.update(
                "UPDATE model_version_chunk SET bytes = overlay(bytes PLACING"
                        + " decode(lpad(to_hex(get_byte(bytes, length(bytes) - 9) # 255), 2, '0'), 'hex')"
                        + " FROM length(bytes) - 8 FOR 1) WHERE version = ? AND seq = 0",
                version);
        assertThatThrownBy(() -> registry.load(version))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("model version " + version + " fails its checksum");
        // not activated either
        assertThatThrownBy(() -> registry.activate(version)).isInstanceOf(ModelIntegrityException.class);
        assertThat(registry.activeVersion()).isEmpty();

        jdbc.update("DELETE FROM model_version_chunk WHERE version = ?", version);
        assertThatThrownBy(() -> registry.load(version))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("model version " + version + " cannot be read")
                .hasMessageContaining("no parameter chunk 0");
    }

    @Test
    void aBootstrapFolderIsStoredFromItsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ModelArtifact artifact = bpr(SyntheticData.dataset(3), 64, 3);
        artifact.writeTo(dir);
        ModelArtifact fromFile = ModelArtifact.readFrom(dir);
        assertThat(fromFile.parameters()).isNotInstanceOf(io.mambarec.model.ModelParameters.InMemory.class);
        long version = BootstrapModel.registerIfEmpty(registry, dir).orElseThrow();
        assertThat(jdbc.queryForObject("SELECT sha256 FROM model_version WHERE version = ?", String.class, version))
                .isEqualTo(artifact.sha256());
        try (InputStream in = chunks.open(version, artifact.parameters().size())) {
            assertThat(in.readAllBytes()).isEqualTo(artifact.parameters().readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(registry.load(version).embeddings().users())
                .isEqualTo(ModelRegistry.embeddingsOf(artifact).users());
    }

    private long store(ModelArtifact artifact) {
        return registry.store(
                new NewModelVersion(
                        artifact, new ModelMetrics(Map.of(), Map.of()), Map.of(), null, ModelVersionSource.BOOTSTRAP),
                ModelVersionStatus.INACTIVE);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static ModelArtifact bpr(Dataset data, int dim, long seed) {
        ModelDefinition bpr = Models.get("bpr");
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model =
                        bpr.create(data, bpr.resolve(Map.of("embedding_size", String.valueOf(dim))), manager, seed)) {
            return ModelArtifact.of(model, data, seed);
        }
    }

    /** Many users and items, one training interaction each user: a model that is mostly its tables. */
    private static Dataset wide(int users, int items) {
        int[] u = IntStream.range(0, users).toArray();
        int[] i = IntStream.range(0, users).map(k -> k % items).toArray();
        List<String> userIds = IntStream.range(0, users).mapToObj(k -> "u" + k).toList();
        List<String> itemIds = IntStream.range(0, items).mapToObj(k -> "i" + k).toList();
        Interactions none = new Interactions(new int[0], new int[0]);
        return new Dataset("wide", userIds, itemIds, new Interactions(u, i), none, none, Map.of());
    }
}
