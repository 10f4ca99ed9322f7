package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.model.mambarec.PlantedDataset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run stopped after any epoch and resumed from its checkpoint (a new model and trainer, as in a
 * new process, given only the encoded checkpoint) ends exactly as the run that never stopped: same
 * epoch losses, same metrics, same final parameters. MambaRec covers dropout, BatchNorm statistics
 * and the DREAM/MMD/InfoNCE parameters; lightgcn with the toolbox's random streams covers those.
 */
class TrainerCheckpointTest {

    private static final Dataset PLANTED = PlantedDataset.create(11, 60, 4, 12, List.of("image", "text"), 16);
    private static final Dataset SYNTHETIC = SyntheticData.dataset(7);
    /** The same, each training pair with an event-type weight (its probability of taking part in an epoch). */
    private static final Dataset WEIGHTED = weighted(SYNTHETIC);

    private static Dataset weighted(Dataset data) {
        float[] weights = new float[data.train().size()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = k % 3 == 0 ? 0.25f : k % 3 == 1 ? 0.5f : 1f;
        }
        return new Dataset(
                data.name(),
                data.userIds(),
                data.itemIds(),
                new io.mambarec.data.Interactions(
                        data.train().users(), data.train().items(), weights),
                data.valid(),
                data.test(),
                data.features());
    }

    @ParameterizedTest
    @CsvSource({
        "mambarec, false, 2, false",
        "mambarec, false, 4, false",
        "lightgcn, true, 3, false",
        "bpr, false, 1, false",
        "lightgcn, false, 2, true"
    })
    void aResumedRunEndsAsTheUninterruptedOne(String name, boolean mmrecRng, int stopAfter, boolean weightedEvents) {
        Dataset data = name.equals("mambarec") ? PLANTED : weightedEvents ? WEIGHTED : SYNTHETIC;
        Hyperparameters hp = Models.get(name)
                .resolve(Map.of(
                        "max_epochs",
                        "6",
                        "batch_size",
                        "128",
                        "learning_rate",
                        "0.01",
                        "patience",
                        "6",
                        "mmrec_rng",
                        Boolean.toString(mmrecRng)));
        Run uninterrupted = run(name, hp, data, new MemoryCheckpoints(), Integer.MAX_VALUE);

        MemoryCheckpoints checkpoints = new MemoryCheckpoints();
        assertThatThrownBy(() -> run(name, hp, data, checkpoints, stopAfter))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(checkpoints.progress().orElseThrow().epochsDone()).isEqualTo(stopAfter);
        // only the bytes cross over, as between processes
        MemoryCheckpoints reloaded = new MemoryCheckpoints();
        reloaded.encoded = checkpoints.encoded.clone();
        Run resumed = run(name, hp, data, reloaded, Integer.MAX_VALUE);

        assertThat(resumed.result.history().stream().map(EpochReport::meanLoss).toList())
                .isEqualTo(uninterrupted.result.history().stream()
                        .map(EpochReport::meanLoss)
                        .toList());
        assertThat(resumed.result.history()).hasSize(6);
        assertThat(resumed.result.valid()).isEqualTo(uninterrupted.result.valid());
        assertThat(resumed.result.test()).isEqualTo(uninterrupted.result.test());
        assertThat(resumed.result.bestEpoch()).isEqualTo(uninterrupted.result.bestEpoch());
        assertThat(resumed.finalState).isEqualTo(uninterrupted.finalState);
    }

    @ParameterizedTest
    @CsvSource({"lightgcn"})
    void aCheckpointOfAnotherSeedIsRefused(String name) {
        Hyperparameters hp = Models.get(name).resolve(Map.of("max_epochs", "2", "batch_size", "128"));
        MemoryCheckpoints checkpoints = new MemoryCheckpoints();
        run(name, hp, SYNTHETIC, checkpoints, Integer.MAX_VALUE, 5);
        assertThatThrownBy(() -> run(name, hp, SYNTHETIC, checkpoints, Integer.MAX_VALUE, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another run");
    }

    private record Run(TrainingResult result, byte[] finalState) {}

    private static Run run(String name, Hyperparameters hp, Dataset data, CheckpointStore checkpoints, int stopAfter) {
        return run(name, hp, data, checkpoints, stopAfter, 3);
    }

    private static Run run(
            String name, Hyperparameters hp, Dataset data, CheckpointStore checkpoints, int stopAfter, long seed) {
        AtomicInteger epochs = new AtomicInteger();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get(name).create(data, hp, manager, seed)) {
            TrainingResult result = new Trainer(TrainingSettings.of(hp), seed)
                    .train(
                            model,
                            data,
                            report -> epochs.incrementAndGet(),
                            () -> epochs.get() >= stopAfter,
                            checkpoints);
            NDList state = model.state();
            return new Run(result, state.encode());
        }
    }

    /** Keeps the latest checkpoint as bytes. */
    private static final class MemoryCheckpoints implements CheckpointStore {

        private byte[] encoded;

        @Override
        public Optional<TrainingCheckpoint> latest(NDManager manager) {
            return Optional.ofNullable(encoded).map(bytes -> TrainingCheckpoint.decode(bytes, manager));
        }

        @Override
        public Optional<TrainingCheckpoint.Progress> progress() {
            return Optional.ofNullable(encoded).map(bytes -> {
                try {
                    return TrainingCheckpoint.readProgress(new java.io.ByteArrayInputStream(bytes));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override
        public void save(TrainingCheckpoint checkpoint) {
            encoded = checkpoint.encode();
        }
    }
}
