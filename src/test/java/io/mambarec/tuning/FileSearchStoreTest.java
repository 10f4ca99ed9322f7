package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mambarec.training.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI search's checkpoint files: streamed in the checkpoint's own encoding, read back whole or refused. */
class FileSearchStoreTest {

    @TempDir
    Path dir;

    private static TrainingCheckpoint checkpoint(NDManager manager) {
        TrainingCheckpoint.Progress progress = new TrainingCheckpoint.Progress(
                3, 7L, Map.of("w", 3), 0.125, 1, 1, Map.of("Recall@20", 0.125), Map.of(), 1.5, List.of());
        float[] state = new float[25_000];
        Arrays.fill(state, 7f);
        return new TrainingCheckpoint(
                progress,
                new int[] {2, 0, 1},
                new int[] {5, 6},
                new NDList(manager.create(state, new Shape(250, 100))),
                new NDList(manager.create(new float[] {1, 2})),
                new NDList(manager.create(new float[] {3}), manager.create(new float[] {4, 5})));
    }

    @Test
    void aPointsCheckpointIsTheEncodingInAFileAndReadsBackAsSaved() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            SearchStore store = SearchStore.files(dir);
            SearchStore.Point point = store.point(4);
            assertThat(point.latest(manager)).isEmpty();
            assertThat(point.progress()).isEmpty();
            TrainingCheckpoint saved = checkpoint(manager);
            point.save(saved);

            Path file = dir.resolve("point-4.checkpoint");
            assertThat(Files.readAllBytes(file)).isEqualTo(saved.encode());
            TrainingCheckpoint read = point.latest(manager).orElseThrow();
            assertThat(read.progress()).isEqualTo(saved.progress());
            assertThat(point.progress()).contains(saved.progress());
            assertThat(read.order()).isEqualTo(saved.order());
            assertThat(read.randomPosition()).isEqualTo(saved.randomPosition());
            assertThat(read.modelState().encode()).isEqualTo(saved.modelState().encode());
            assertThat(read.bestState().encode()).isEqualTo(saved.bestState().encode());
            assertThat(read.moments().encode()).isEqualTo(saved.moments().encode());
            assertThat(dir.resolve("point-4.checkpoint.partial")).doesNotExist();

            byte[] encoded = saved.encode();
            Files.write(file, Arrays.copyOf(encoded, encoded.length - 1));
            assertThatThrownBy(() -> point.latest(manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");
            assertThatThrownBy(() -> TrainingCheckpoint.decode(Arrays.copyOf(encoded, 5000), manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");

            store.release();
            assertThat(file).doesNotExist();
        }
    }
}
