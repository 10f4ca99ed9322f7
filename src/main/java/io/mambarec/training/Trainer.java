package io.mambarec.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.model.NoGrad;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.NativeMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MambaRec's training loop (CIKM 2025), with the MMRec toolbox's semantics:
 * each epoch shuffles the training interactions, cuts them into batches, samples one negative
 * per positive, applies Adam (no weight decay) with the per-epoch learning-rate schedule,
 * evaluates validation Recall@20, stops early, and restores the best epoch's state at the end.
 *
 * <p>Memory: each batch's arrays (inputs, forward intermediates, loss) live in a per-batch
 * manager and an {@link NDScope} and are freed with the batch; Adam runs outside the scope
 * because it creates its state arrays on the first update. Grad mode is on only inside the
 * gradient collector, so evaluation builds no autograd graph. Between epochs, once the freed
 * native memory the process still holds reaches {@value #RETAINED_MEMORY_LIMIT_BYTES} bytes, a
 * collection and a trim give it back ({@link NativeMemory#releaseWhenRetainedReaches}).
 *
 * <p>Checkpoints: after every epoch the run's whole state goes to a {@link CheckpointStore}; a run
 * given a checkpoint continues from it. Departure from a plain loop, for that: torch's generator
 * (dropout) restarts from a seed derived from (seed, epoch) at every epoch, since its position
 * cannot be saved through DJL; the first epoch uses the seed itself.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    /** Freed native memory (direct buffers, glibc's free heap) a run may hold before it is given back. */
    static final long RETAINED_MEMORY_LIMIT_BYTES = 512L * 1024 * 1024;

    private final TrainingSettings settings;
    private final long seed;
    private TrainingPhases phases = new TrainingPhases();

    public Trainer(TrainingSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /** Sums the time of each phase of the loop into {@code phases} (for profiles; see the benchmark command). */
    public Trainer recordPhases(TrainingPhases phases) {
        this.phases = phases;
        return this;
    }

    public TrainingResult train(RecommenderModel model, Dataset data) {
        return train(model, data, TrainingListener.NONE, () -> false, CheckpointStore.NONE);
    }

    /** As {@link #train(RecommenderModel, Dataset, TrainingListener, BooleanSupplier, CheckpointStore)}, without checkpoints. */
    public TrainingResult train(
            RecommenderModel model, Dataset data, TrainingListener listener, BooleanSupplier cancelled) {
        return train(model, data, listener, cancelled, CheckpointStore.NONE);
    }

    /**
     * Trains {@code model} on {@code data}'s training split, continuing from {@code checkpoints}'
     * latest checkpoint when there is one and saving one after every epoch: a run resumed from
     * epoch e's checkpoint continues exactly as the uninterrupted run (same seed, same data).
     *
     * @param listener told after every epoch
     * @param cancelled checked between batches; when true the run ends with {@link TrainingCancelledException}
     * @param checkpoints where the run's checkpoints live ({@link CheckpointStore#NONE}: nowhere)
     * @throws TrainingDivergedException when a batch loss is NaN or infinite
     */
    public TrainingResult train(
            RecommenderModel model,
            Dataset data,
            TrainingListener listener,
            BooleanSupplier cancelled,
            CheckpointStore checkpoints) {
        // the same seed gives the same run: Java Random (or the toolbox's streams, mmrec_rng) for
        // shuffling and sampling, torch's for dropout
        Engine.getInstance().setRandomSeed((int) seed);
        TrainingRandomness random =
                settings.mmrecRng() ? TrainingRandomness.mmrec(seed) : TrainingRandomness.java(seed);
        NegativeSampler sampler = new NegativeSampler(
                data.trainItemsByUser(), data.train(), data.numItems(), settings.negativesFromAllItems(), random);
        Interactions train = data.train();
        // the scalable loop steps with learning_rate * scalable_lr_factor (TrainingSettings#learningRateFor)
        EpochLearningRate learningRate = new EpochLearningRate(
                settings.learningRateFor(train.size()), settings.lrDecay(), settings.lrDecayEpochs());
        // DJL's Adam adds eps before the bias correction (see ResumableAdam); torch_adam=true steps exactly
        // as torch.optim.Adam (the baselines' default; mgcn and mambarec default to DJL's Adam).
        ResumableAdam adam = settings.torchAdam() ? ResumableAdam.torch(learningRate) : ResumableAdam.djl(learningRate);
        EarlyStopping stopping = new EarlyStopping(settings.patience());
        int[] order = java.util.stream.IntStream.range(0, train.size()).toArray();
        WeightedPositives positives = new WeightedPositives(train.weights(), seed);
        int batchSize = settings.batchSizeFor(train.size());

        List<EpochReport> history = new ArrayList<>();
        Map<String, Double> bestValid = Map.of();
        Map<String, Double> bestTest = Map.of();
        Embeddings bestEmbeddings = null;
        double trainSecondsTotal = 0;
        int firstEpoch = 0;
        try (NoGrad noGrad = NoGrad.open();
                NDManager snapshotManager = NDManager.newBaseManager()) {
            NDList bestState = null;
            adam.fused(snapshotManager);
            // decoded into native memory as it is read: the checkpoint is never whole on the heap
            TrainingCheckpoint resumed = checkpoints.latest(snapshotManager).orElse(null);
            if (resumed != null) {
                TrainingCheckpoint.Progress p = resumed.progress();
                if (p.seed() != seed || resumed.order().length != order.length) {
                    throw new IllegalArgumentException("the checkpoint belongs to another run (seed " + p.seed() + ", "
                            + resumed.order().length + " training rows)");
                }
                model.loadState(resumed.modelState());
                bestState = resumed.bestState().isEmpty() ? null : resumed.bestState();
                adam.restore(resumed.moments(), p.adamSteps(), model.trainableParameters());
                int[] position = resumed.randomPosition();
                random.moveTo(Arrays.copyOfRange(position, 0, position.length - 2));
                positives.moveTo(Arrays.copyOfRange(position, position.length - 2, position.length));
                System.arraycopy(resumed.order(), 0, order, 0, order.length);
                stopping.resume(p.best(), p.bestEpoch(), p.epochsWithoutImprovement());
                bestValid = p.bestValid();
                bestTest = p.bestTest();
                trainSecondsTotal = p.trainSecondsTotal();
                history.addAll(p.history());
                firstEpoch = p.epochsDone();
            }
            for (int epoch = firstEpoch; epoch < settings.maxEpochs() && !stopping.shouldStop(); epoch++) {
                // dropout draws from torch's generator, whose position cannot be saved: each epoch
                // starts it from (seed, epoch), so an epoch resumed from a checkpoint draws the same
                Engine.getInstance().setRandomSeed(epochSeed(seed, epoch));
                learningRate.setEpoch(epoch);
                long start = System.nanoTime();
                random.shuffleEpoch(order);
                int[] epochOrder = positives.epoch(order);
                lap(TrainingPhases.Phase.SHUFFLE, start);
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from < epochOrder.length; from += batchSize) {
                    if (cancelled.getAsBoolean()) {
                        throw new TrainingCancelledException("training cancelled in epoch " + (epoch + 1));
                    }
                    int to = Math.min(epochOrder.length, from + batchSize);
                    double loss = trainBatch(model, adam, train, epochOrder, from, to, sampler);
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException("training loss became " + loss + " in epoch "
                                + (epoch + 1) + ", batch " + (batches + 1)
                                + ": lower the learning rate or the loss weights");
                    }
                    lossSum += loss;
                    batches++;
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                trainSecondsTotal += trainSeconds;
                listener.onEpochTrained(epoch + 1);

                long evalStart = System.nanoTime();
                Embeddings embeddings = model.embeddings();
                long mark = lap(TrainingPhases.Phase.EMBEDDINGS, evalStart);
                Map<String, Double> valid = FullRankingEvaluator.evaluate(embeddings, data, Split.VALID);
                double score = valid.get(RankingMetrics.RECALL_20);
                if (stopping.record(epoch, score)) {
                    bestValid = valid;
                    bestTest = FullRankingEvaluator.evaluate(embeddings, data, Split.TEST);
                    bestEmbeddings = embeddings;
                    mark = lap(TrainingPhases.Phase.RANKING, mark);
                    closeAll(bestState);
                    bestState = snapshot(model.state(), snapshotManager);
                    lap(TrainingPhases.Phase.SNAPSHOT, mark);
                } else {
                    lap(TrainingPhases.Phase.RANKING, mark);
                }
                double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
                EpochReport report = new EpochReport(
                        epoch + 1,
                        lossSum / Math.max(1, batches),
                        score,
                        trainSeconds,
                        evalSeconds,
                        learningRate.rateAt(epoch),
                        stopping.bestEpoch() + 1,
                        stopping.best(),
                        settings.maxEpochs());
                history.add(report);
                if (checkpoints.enabled()) {
                    // Adam's moments as arrays of their own, freed once the checkpoint is written
                    try (NDManager momentsManager = NDManager.newBaseManager()) {
                        checkpoints.save(checkpoint(
                                epoch + 1,
                                model,
                                adam.moments(momentsManager),
                                random,
                                positives,
                                order,
                                stopping,
                                bestState,
                                bestValid,
                                bestTest,
                                trainSecondsTotal,
                                history,
                                adam));
                    }
                }
                // a long run's freed native memory goes back to the system between epochs
                NativeMemory.releaseWhenRetainedReaches(RETAINED_MEMORY_LIMIT_BYTES)
                        .ifPresent(released ->
                                log.info("after epoch {}: memory freed: {}", report.epoch(), released.describe()));
                listener.onEpoch(report);
            }
            if (bestState != null) {
                model.loadState(bestState);
            }
        }
        return new TrainingResult(
                history.size(),
                stopping.bestEpoch() + 1,
                trainSecondsTotal / Math.max(1, history.size()),
                bestValid,
                bestTest,
                List.copyOf(history),
                bestEmbeddings);
    }

    /** Adds the time since {@code since} to {@code phase}; returns now. */
    private long lap(TrainingPhases.Phase phase, long since) {
        long now = System.nanoTime();
        phases.add(phase, now - since);
        return now;
    }

    /** Torch's seed for an epoch: the run's seed for the first (as before checkpoints existed), then mixed with the epoch. */
    static int epochSeed(long seed, int epoch) {
        return epoch == 0 ? (int) seed : (int) (seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L >>> 16);
    }

    /** The run's checkpoint over its live arrays (the model's, the best state, the moments): valid until they change. */
    private TrainingCheckpoint checkpoint(
            int epochsDone,
            RecommenderModel model,
            NDList moments,
            TrainingRandomness random,
            WeightedPositives positives,
            int[] order,
            EarlyStopping stopping,
            NDList bestState,
            Map<String, Double> bestValid,
            Map<String, Double> bestTest,
            double trainSecondsTotal,
            List<EpochReport> history,
            ResumableAdam adam) {
        TrainingCheckpoint.Progress progress = new TrainingCheckpoint.Progress(
                epochsDone,
                seed,
                adam.steps(),
                stopping.best(),
                stopping.bestEpoch(),
                stopping.epochsWithoutImprovement(),
                bestValid,
                bestTest,
                trainSecondsTotal,
                List.copyOf(history));
        // the training draws' positions, then the weighted positives' (the last two ints)
        int[] draws = random.position();
        int[] position = Arrays.copyOf(draws, draws.length + 2);
        System.arraycopy(positives.position(), 0, position, draws.length, 2);
        return new TrainingCheckpoint(
                progress,
                order.clone(),
                position,
                model.state(),
                bestState == null ? new NDList() : bestState,
                moments);
    }

    /** Forward and backward in a scope (everything made here is freed), then Adam outside it. */
    private double trainBatch(
            RecommenderModel model,
            ResumableAdam adam,
            Interactions train,
            int[] order,
            int from,
            int to,
            NegativeSampler sampler) {
        long mark = System.nanoTime();
        int size = to - from;
        long[] users = new long[size];
        long[] positives = new long[size];
        long[] negatives = new long[size];
        for (int b = 0; b < size; b++) {
            int k = order[from + b];
            users[b] = train.users()[k];
            positives[b] = train.items()[k];
            negatives[b] = sampler.sample(train.users()[k]);
        }
        double loss;
        try (NDManager batchManager = NDManager.newBaseManager();
                NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            TrainingBatch batch = new TrainingBatch(
                    batchManager.create(users), batchManager.create(positives), batchManager.create(negatives));
            mark = lap(TrainingPhases.Phase.SAMPLING, mark);
            NDArray lossArray = model.trainingLoss(batch);
            loss = lossArray.toType(DataType.FLOAT64, false).getDouble();
            mark = lap(TrainingPhases.Phase.FORWARD, mark);
            if (!Double.isFinite(loss)) {
                return loss;
            }
            collector.backward(lossArray);
        }
        mark = lap(TrainingPhases.Phase.BACKWARD, mark);
        adam.step(model.trainableParameters());
        lap(TrainingPhases.Phase.OPTIMISER, mark);
        return loss;
    }

    /** Copies of the state's arrays, owned by {@code manager} (the model's own arrays keep changing). */
    private static NDList snapshot(NDList state, NDManager manager) {
        NDList copy = new NDList(state.size());
        for (NDArray array : state) {
            NDArray duplicate = array.duplicate();
            duplicate.attach(manager);
            duplicate.setName(array.getName());
            copy.add(duplicate);
        }
        return copy;
    }

    private static void closeAll(NDList list) {
        if (list != null) {
            list.forEach(NDArray::close);
        }
    }
}
