package io.mambarec.model;

import java.util.List;

/**
 * The training loop's settings, settable like model hyper-parameters ({@code --param key=value}).
 * Defaults follow MambaRec's training (CIKM 2025, the authors' code on the MMRec toolbox): Adam at
 * 1e-3 decayed by 0.96 every 50 epochs, batches of 2,048, at most 1,000 epochs, early stopping on
 * validation Recall@20.
 */
public record TrainingSettings(
        double learningRate,
        double lrDecay,
        int lrDecayEpochs,
        int batchSize,
        int patience,
        int maxEpochs,
        boolean negativesFromAllItems,
        boolean torchAdam,
        boolean mmrecRng,
        int stepsPerEpoch,
        double scalableLrFactor) {

    /**
     * With {@code steps_per_epoch} 0 (auto), training splits larger than this take the scalable
     * loop with {@link #AUTO_STEPS_PER_EPOCH} steps; up to it, the authors' loop (TikTok has 59,541
     * training interactions, Amazon Baby 118,551).
     */
    public static final int AUTO_SCALABLE_ABOVE = 150_000;
    /** Steps per epoch of the scalable loop chosen by auto: about TikTok's 30 batches of 2,048. */
    public static final int AUTO_STEPS_PER_EPOCH = 32;

    public static final String LEARNING_RATE = "learning_rate";
    public static final String LR_DECAY = "lr_decay";
    public static final String LR_DECAY_EPOCHS = "lr_decay_epochs";
    public static final String BATCH_SIZE = "batch_size";
    public static final String PATIENCE = "patience";
    public static final String MAX_EPOCHS = "max_epochs";
    public static final String NEGATIVES_FROM_ALL_ITEMS = "negatives_from_all_items";
    public static final String TORCH_ADAM = "torch_adam";
    public static final String MMREC_RNG = "mmrec_rng";
    public static final String STEPS_PER_EPOCH = "steps_per_epoch";
    public static final String SCALABLE_LR_FACTOR = "scalable_lr_factor";

    /** Common to every model; a model may change a default with {@link ParamSpec#withDefault}. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.ofDouble(LEARNING_RATE, 1e-3, ParamRanges.LEARNING_RATE, "Adam learning rate"),
            ParamSpec.ofDouble(
                    LR_DECAY,
                    0.96,
                    ParamRanges.DECAY,
                    "learning rate after epoch e is learning_rate * lr_decay^(e / lr_decay_epochs)"),
            ParamSpec.ofInt(
                    LR_DECAY_EPOCHS,
                    50,
                    ParamRanges.EPOCHS,
                    "epochs over which the learning rate decays by one factor lr_decay"),
            ParamSpec.ofInt(BATCH_SIZE, 2048, ParamRanges.BATCH_SIZE, "training interactions per batch"),
            ParamSpec.ofInt(
                    PATIENCE,
                    20,
                    ParamRanges.PATIENCE,
                    "stop after more than this many epochs without a better validation Recall@20"),
            ParamSpec.ofInt(MAX_EPOCHS, 1000, ParamRanges.EPOCHS, "upper bound on training epochs"),
            ParamSpec.ofBoolean(
                    NEGATIVES_FROM_ALL_ITEMS,
                    false,
                    "draw negatives from every catalogue item, not only"
                            + " from the items that occur in training (MMRec's sampler, the default)"),
            ParamSpec.ofBoolean(
                    TORCH_ADAM,
                    false,
                    "Adam exactly as torch.optim.Adam (eps after the bias"
                            + " correction, TorchAdam); false: DJL's Adam, whose effective eps is larger in early steps"),
            ParamSpec.ofBoolean(
                    MMREC_RNG,
                    false,
                    "replay the MMRec toolbox's random streams for this seed: epoch"
                            + " shuffles (NumPy), negatives (Python random) and, for bpr and lightgcn, the initial"
                            + " embeddings (PyTorch CPU generator)"),
            ParamSpec.ofInt(
                    STEPS_PER_EPOCH,
                    0,
                    ParamRanges.STEPS,
                    "scalable loop: batches grow (never below batch_size) so that an"
                            + " epoch has this many steps, and its cost is linear in the interactions; 0: auto, the authors'"
                            + " loop up to " + AUTO_SCALABLE_ABOVE + " training interactions, " + AUTO_STEPS_PER_EPOCH
                            + " steps above"),
            ParamSpec.ofDouble(
                    SCALABLE_LR_FACTOR,
                    1.0,
                    ParamRanges.LR_FACTOR,
                    "the scalable loop's learning rate is learning_rate times this (its epochs have fewer,"
                            + " larger steps); the authors' loop always uses learning_rate"));

    public TrainingSettings {
        if (batchSize < 1 || stepsPerEpoch < 0) {
            throw new IllegalArgumentException("batch_size must be positive and steps_per_epoch not negative");
        }
        if (!(scalableLrFactor > 0)) {
            throw new IllegalArgumentException("scalable_lr_factor must be positive, not " + scalableLrFactor);
        }
    }

    /** True when a training split of {@code trainInteractions} runs the scalable loop (batches grown beyond batch_size). */
    public boolean scalableFor(int trainInteractions) {
        return batchSizeFor(trainInteractions) > batchSize;
    }

    /**
     * The learning rate of the first epoch for a training split of {@code trainInteractions}:
     * {@code learning_rate} in the authors' loop, {@code learning_rate * scalable_lr_factor} in the
     * scalable loop (see docs/design.md, the scalable loop: its 32 larger steps per epoch pass
     * InfoNCE's early plateau in as many steps as the authors' loop, so in fewer epochs, only with
     * larger steps).
     */
    public double learningRateFor(int trainInteractions) {
        return scalableFor(trainInteractions) ? learningRate * scalableLrFactor : learningRate;
    }

    /**
     * Interactions per batch for a training split of {@code trainInteractions}: {@code batch_size}
     * in the authors' loop; in the scalable loop enough for {@code steps_per_epoch} steps, so the
     * whole-graph propagation runs a fixed number of times per epoch whatever the data's size.
     */
    public int batchSizeFor(int trainInteractions) {
        int steps =
                stepsPerEpoch != 0 ? stepsPerEpoch : trainInteractions > AUTO_SCALABLE_ABOVE ? AUTO_STEPS_PER_EPOCH : 0;
        if (steps == 0) {
            return batchSize;
        }
        return Math.max(batchSize, (int) ((trainInteractions + (long) steps - 1) / steps));
    }

    /** One line naming the loop a training split of {@code trainInteractions} gets, for progress output. */
    public String describeLoop(int trainInteractions) {
        int batch = batchSizeFor(trainInteractions);
        int steps = (int) ((trainInteractions + (long) batch - 1) / batch);
        return String.format(
                java.util.Locale.ROOT,
                "%s loop: %d training interactions, batches of %d, %d steps per epoch, learning rate %s",
                batch > batchSize ? "scalable" : "authors'",
                trainInteractions,
                batch,
                steps,
                learningRateFor(trainInteractions));
    }

    public static TrainingSettings of(Hyperparameters params) {
        return new TrainingSettings(
                params.getDouble(LEARNING_RATE),
                params.getDouble(LR_DECAY),
                params.getInt(LR_DECAY_EPOCHS),
                params.getInt(BATCH_SIZE),
                params.getInt(PATIENCE),
                params.getInt(MAX_EPOCHS),
                params.getBoolean(NEGATIVES_FROM_ALL_ITEMS),
                params.getBoolean(TORCH_ADAM),
                params.getBoolean(MMREC_RNG),
                params.getInt(STEPS_PER_EPOCH),
                params.getDouble(SCALABLE_LR_FACTOR));
    }
}
