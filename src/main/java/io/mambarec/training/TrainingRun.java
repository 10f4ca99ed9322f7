package io.mambarec.training;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One training run: a fresh model of a definition on a dataset, trained by the {@link Trainer}
 * (early stopping on validation Recall@20, the best epoch's parameters kept), optionally resumed
 * from and checkpointed to a {@link CheckpointStore}. The command line, the benchmark, the jobs
 * and the search all train through it.
 */
public final class TrainingRun {

    private final ModelDefinition definition;
    private final Hyperparameters params;
    private final long seed;
    private Integer upToEpoch;
    private TrainingListener listener = TrainingListener.NONE;
    private BooleanSupplier stop = () -> false;
    private CheckpointStore checkpoints = CheckpointStore.NONE;
    private TrainingPhases phases;

    public TrainingRun(ModelDefinition definition, Hyperparameters params, long seed) {
        this.definition = definition;
        this.params = params;
        this.seed = seed;
    }

    /** Told after every epoch. */
    public TrainingRun listener(TrainingListener listener) {
        this.listener = listener;
        return this;
    }

    /** Checked between batches; when true the run ends with {@link TrainingCancelledException}. */
    public TrainingRun stop(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /** Where the run resumes from and saves a checkpoint after every epoch. */
    public TrainingRun checkpoints(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
        return this;
    }

    /** Sums the time of each phase of the loop (profiles). */
    public TrainingRun phases(TrainingPhases phases) {
        this.phases = phases;
        return this;
    }

    /**
     * Trains up to this epoch in all (a search's rung), not to {@code max_epochs}; the model keeps
     * its own parameters, {@code max_epochs} included.
     */
    public TrainingRun upToEpoch(int epoch) {
        this.upToEpoch = epoch;
        return this;
    }

    /** Creates the model, its arrays owned by {@code manager}, and trains it; the caller closes the result. */
    public Trained train(Dataset data, NDManager manager) {
        Hyperparameters loop = upToEpoch == null
                ? params
                : params.with(Map.of(TrainingSettings.MAX_EPOCHS, Integer.toString(upToEpoch)));
        Trainer trainer = new Trainer(TrainingSettings.of(loop), seed);
        if (phases != null) {
            trainer.recordPhases(phases);
        }
        RecommenderModel model = definition.create(data, params, manager, seed);
        try {
            return new Trained(model, trainer.train(model, data, listener, stop, checkpoints), seed);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** A trained model at its best epoch, its result and the seed it was trained with. */
    public record Trained(RecommenderModel model, TrainingResult result, long seed) implements AutoCloseable {

        /** The model as a saved artifact (manifest with its provenance, and parameters). */
        public ModelArtifact artifact(Dataset data) {
            return ModelArtifact.of(model, data, seed);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
