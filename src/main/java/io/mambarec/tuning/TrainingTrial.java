package io.mambarec.tuning;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.TrainingSettings;
import io.mambarec.training.CheckpointStore;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.training.TrainingCheckpoint;
import io.mambarec.training.TrainingDivergedException;
import io.mambarec.training.TrainingListener;
import io.mambarec.training.TrainingRun;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A point of the search trained by a {@link TrainingRun}, a rung at a time: between rungs
 * it holds no model, only its latest training checkpoint in its {@link SearchStore.Point}, and the
 * next rung resumes from that checkpoint exactly as an uninterrupted run would continue. So memory
 * stays that of one run however many points are alive, a point trained in rungs to epoch E is the
 * point trained to E, and a point of an interrupted search resumes from its last epoch. After each
 * rung, once its arrays are freed, it runs {@code afterTraining} (the search hands the memory glibc
 * kept back to the system: {@link io.mambarec.runtime.NativeMemory#collectAndReleaseFreeMemory}).
 */
final class TrainingTrial implements Trial {

    private final ModelDefinition definition;
    private final Hyperparameters params;
    private final Dataset data;
    private final long seed;
    private final Deadline deadline;
    private final BooleanSupplier stop;
    private final TrainingListener listener;
    private final Runnable afterTraining;
    private final SavingCheckpoints checkpoints;
    private TrainingCheckpoint.Progress progress;
    private boolean done;
    private String failure;

    TrainingTrial(
            ModelDefinition definition,
            Hyperparameters params,
            Dataset data,
            long seed,
            SearchStore.Point store,
            Deadline deadline,
            BooleanSupplier stop,
            TrainingListener listener,
            Runnable afterTraining) {
        this.definition = definition;
        this.params = params;
        this.data = data;
        this.seed = seed;
        this.deadline = deadline;
        this.stop = stop;
        this.listener = listener;
        this.afterTraining = afterTraining;
        this.checkpoints = new SavingCheckpoints(store);
        // an interrupted search's point: where its last checkpoint left it
        store.progress().ifPresent(saved -> {
            progress = saved;
            done = progress.epochsDone() >= params.getInt(TrainingSettings.MAX_EPOCHS)
                    || progress.epochsWithoutImprovement() > params.getInt(TrainingSettings.PATIENCE);
        });
    }

    Hyperparameters params() {
        return params;
    }

    @Override
    public void advanceTo(int epochs) {
        int maxEpochs = params.getInt(TrainingSettings.MAX_EPOCHS);
        int target = Math.min(epochs, maxEpochs);
        if (done || epochs() >= target) {
            return;
        }
        boolean[] outOfTime = {false};
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun.Trained trained = new TrainingRun(definition, params, seed)
                        .upToEpoch(target)
                        .listener(report -> {
                            listener.onEpoch(report);
                            outOfTime[0] = deadline.passed();
                        })
                        .stop(() -> outOfTime[0] || stop.getAsBoolean())
                        .checkpoints(checkpoints)
                        .train(data, manager)) {
            // fewer epochs than asked: early stopping ended it
            done = trained.result().epochs() < target || trained.result().epochs() >= maxEpochs;
        } catch (TrainingCancelledException e) {
            if (!outOfTime[0]) {
                throw e;
            }
            // the budget was spent between epochs: the checkpoint after the last epoch holds the run
        } catch (TrainingDivergedException e) {
            failure = e.getMessage();
            done = true;
            release();
        } finally {
            afterTraining.run(); // the run's manager and model are closed by now
        }
    }

    @Override
    public double validRecall20() {
        if (failure != null || progress == null) {
            return Double.NEGATIVE_INFINITY;
        }
        return progress.bestValid().getOrDefault(RankingMetrics.RECALL_20, Double.NEGATIVE_INFINITY);
    }

    @Override
    public int epochs() {
        return progress == null ? 0 : progress.epochsDone();
    }

    @Override
    public int bestEpoch() {
        return progress == null ? 0 : progress.bestEpoch() + 1;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public void release() {
        checkpoints.delete();
    }

    /**
     * The trained model at its best epoch, rebuilt from the last checkpoint (the run resumes it and
     * trains no further epoch), with its result; its arrays belong to {@code manager}.
     */
    TrainingRun.Trained finish(NDManager manager) {
        return new TrainingRun(definition, params, seed)
                .upToEpoch(epochs())
                .checkpoints(checkpoints)
                .train(data, manager);
    }

    /** The point's store, remembering the progress of every checkpoint saved. */
    private final class SavingCheckpoints implements CheckpointStore {

        private final SearchStore.Point store;

        SavingCheckpoints(SearchStore.Point store) {
            this.store = store;
        }

        @Override
        public Optional<TrainingCheckpoint> latest(NDManager manager) {
            return store.latest(manager);
        }

        @Override
        public Optional<TrainingCheckpoint.Progress> progress() {
            return store.progress();
        }

        @Override
        public void save(TrainingCheckpoint checkpoint) {
            store.save(checkpoint);
            progress = checkpoint.progress();
        }

        void delete() {
            store.delete();
        }
    }
}
