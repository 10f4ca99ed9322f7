package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static TrainingCheckpoint checkpoint() {
        TrainingCheckpoint.Progress progress = new TrainingCheckpoint.Progress(
                3, 7L, Map.of("w", 3), 0.125, 1, 1, Map.of("Recall@20", 0.125), Map.of(), 1.5, List.of());
        byte[] state = new byte[100_000];
        Arrays.fill(state, (byte) 7);
        return new TrainingCheckpoint(
                progress, new int[] {2, 0, 1}, new int[] {5, 6}, state, new byte[] {1, 2}, new byte[] {3});
    }

    @Test
    void aPointsCheckpointIsTheEncodingInAFileAndReadsBackAsSaved() throws Exception {
        SearchStore store = SearchStore.files(dir);
        SearchStore.Point point = store.point(4);
        assertThat(point.latest()).isEmpty();
        TrainingCheckpoint saved = checkpoint();
        point.save(saved);

        Path file = dir.resolve("point-4.checkpoint");
        assertThat(Files.readAllBytes(file)).isEqualTo(saved.encode());
        TrainingCheckpoint read = point.latest().orElseThrow();
        assertThat(read.progress()).isEqualTo(saved.progress());
        assertThat(read.order()).isEqualTo(saved.order());
        assertThat(read.randomPosition()).isEqualTo(saved.randomPosition());
        assertThat(read.modelState()).isEqualTo(saved.modelState());
        assertThat(read.bestState()).isEqualTo(saved.bestState());
        assertThat(read.moments()).isEqualTo(saved.moments());
        assertThat(dir.resolve("point-4.checkpoint.partial")).doesNotExist();

        byte[] encoded = saved.encode();
        Files.write(file, Arrays.copyOf(encoded, encoded.length - 1));
        assertThatThrownBy(point::latest)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> TrainingCheckpoint.decode(Arrays.copyOf(encoded, 5000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");

        store.release();
        assertThat(file).doesNotExist();
    }
}
