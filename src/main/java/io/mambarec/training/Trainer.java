package io.mambarec.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.model.Embeddings;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The training loop of the specification (MAMBAREC.md, "Training"), with MMRec's semantics:
 * each epoch shuffles the training interactions, cuts them into batches, samples one negative
 * per positive, applies Adam (no weight decay) with the per-epoch learning-rate schedule,
 * evaluates validation Recall@20, stops early, and restores the best epoch's state at the end.
 *
 * <p>Memory: each batch's arrays (inputs, forward intermediates, loss) live in a per-batch
 * manager and an {@link NDScope} and are freed with the batch; Adam runs outside the scope
 * because it creates its state arrays on the first update. Grad mode is on only inside the
 * gradient collector, so evaluation builds no autograd graph.
 */
public final class Trainer {

    private static final String VALID_METRIC = "Recall@20";

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
        return train(model, data, TrainingListener.NONE, () -> false);
    }

    /**
     * Trains {@code model} on {@code data}'s training split.
     *
     * @param listener told after every epoch
     * @param cancelled checked between batches; when true the run ends with {@link TrainingCancelledException}
     * @throws TrainingDivergedException when a batch loss is NaN or infinite
     */
    public TrainingResult train(RecommenderModel model, Dataset data, TrainingListener listener,
            BooleanSupplier cancelled) {
        // the same seed gives the same run: Java Random (or the toolbox's streams, mmrec_rng) for
        // shuffling and sampling, torch's for dropout
        Engine.getInstance().setRandomSeed((int) seed);
        JniUtils.setGradMode(false);
        TrainingRandomness random = settings.mmrecRng() ? TrainingRandomness.mmrec(seed) : TrainingRandomness.java(seed);
        NegativeSampler sampler = new NegativeSampler(data.trainItemsByUser(), data.train(), data.numItems(),
                settings.negativesFromAllItems(), random);
        EpochLearningRate learningRate = new EpochLearningRate(settings.learningRate(), settings.lrDecay(),
                settings.lrDecayEpochs());
        // DJL's Adam adds eps before the bias correction (see TorchAdam); torch_adam=true steps exactly
        // as torch.optim.Adam (the baselines' default; mgcn and mambarec default to DJL's Adam).
        Optimizer adam = settings.torchAdam() ? new TorchAdam(learningRate)
                : Adam.builder().optLearningRateTracker(learningRate).build();
        EarlyStopping stopping = new EarlyStopping(settings.patience());
        Interactions train = data.train();
        int[] order = java.util.stream.IntStream.range(0, train.size()).toArray();
        WeightedPositives positives = new WeightedPositives(train.weights(), seed);
        int batchSize = settings.batchSizeFor(train.size());

        List<EpochReport> history = new ArrayList<>();
        Map<String, Double> bestValid = Map.of();
        Map<String, Double> bestTest = Map.of();
        double trainSecondsTotal = 0;
        try (NDManager snapshotManager = NDManager.newBaseManager()) {
            NDList bestState = null;
            for (int epoch = 0; epoch < settings.maxEpochs(); epoch++) {
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

                long evalStart = System.nanoTime();
                Embeddings embeddings = model.embeddings();
                long mark = lap(TrainingPhases.Phase.EMBEDDINGS, evalStart);
                Map<String, Double> valid = FullRankingEvaluator.evaluate(embeddings, data, Split.VALID);
                double score = valid.get(VALID_METRIC);
                if (stopping.record(epoch, score)) {
                    bestValid = valid;
                    bestTest = FullRankingEvaluator.evaluate(embeddings, data, Split.TEST);
                    mark = lap(TrainingPhases.Phase.RANKING, mark);
                    closeAll(bestState);
                    bestState = snapshot(model.state(), snapshotManager);
                    lap(TrainingPhases.Phase.SNAPSHOT, mark);
                } else {
                    lap(TrainingPhases.Phase.RANKING, mark);
                }
                double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
                EpochReport report = new EpochReport(epoch + 1, lossSum / Math.max(1, batches), score, trainSeconds,
                        evalSeconds, learningRate.rateAt(epoch), stopping.bestEpoch() + 1, stopping.best(),
                        settings.maxEpochs());
                history.add(report);
                listener.onEpoch(report);
                if (stopping.shouldStop()) {
                    break;
                }
            }
            if (bestState != null) {
                model.loadState(bestState);
            }
        }
        return new TrainingResult(history.size(), stopping.bestEpoch() + 1, trainSecondsTotal / Math.max(1,
                history.size()), bestValid, bestTest, List.copyOf(history));
    }

    /** Adds the time since {@code since} to {@code phase}; returns now. */
    private long lap(TrainingPhases.Phase phase, long since) {
        long now = System.nanoTime();
        phases.add(phase, now - since);
        return now;
    }

    /** Forward and backward in a scope (everything made here is freed), then Adam outside it. */
    private double trainBatch(RecommenderModel model, Optimizer adam, Interactions train, int[] order, int from,
            int to, NegativeSampler sampler) {
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
            TrainingBatch batch = new TrainingBatch(batchManager.create(users), batchManager.create(positives),
                    batchManager.create(negatives));
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
        for (Map.Entry<String, NDArray> parameter : model.trainableParameters().entrySet()) {
            NDArray weight = parameter.getValue();
            try (NDArray gradient = weight.getGradient()) {
                adam.update(parameter.getKey(), weight, gradient);
            }
        }
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
