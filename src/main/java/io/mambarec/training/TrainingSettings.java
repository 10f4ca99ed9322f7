package io.mambarec.training;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ParamSpec;
import java.util.List;

/**
 * The training loop's settings, settable like model hyper-parameters ({@code --param key=value}).
 * Defaults are the specification's (MAMBAREC.md, "Training").
 */
public record TrainingSettings(double learningRate, double lrDecay, int lrDecayEpochs, int batchSize,
        int patience, int maxEpochs, boolean negativesFromAllItems, boolean torchAdam, boolean mmrecRng) {

    public static final String LEARNING_RATE = "learning_rate";
    public static final String LR_DECAY = "lr_decay";
    public static final String LR_DECAY_EPOCHS = "lr_decay_epochs";
    public static final String BATCH_SIZE = "batch_size";
    public static final String PATIENCE = "patience";
    public static final String MAX_EPOCHS = "max_epochs";
    public static final String NEGATIVES_FROM_ALL_ITEMS = "negatives_from_all_items";
    public static final String TORCH_ADAM = "torch_adam";
    public static final String MMREC_RNG = "mmrec_rng";

    /** Common to every model; a model may change a default with {@link ParamSpec#withDefault}. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.ofDouble(LEARNING_RATE, 1e-3, "Adam learning rate"),
            ParamSpec.ofDouble(LR_DECAY, 0.96, "learning rate after epoch e is learning_rate * lr_decay^(e / lr_decay_epochs)"),
            ParamSpec.ofInt(LR_DECAY_EPOCHS, 50, "epochs over which the learning rate decays by one factor lr_decay"),
            ParamSpec.ofInt(BATCH_SIZE, 2048, "training interactions per batch"),
            ParamSpec.ofInt(PATIENCE, 20, "stop after more than this many epochs without a better validation Recall@20"),
            ParamSpec.ofInt(MAX_EPOCHS, 1000, "upper bound on training epochs"),
            ParamSpec.ofBoolean(NEGATIVES_FROM_ALL_ITEMS, false, "draw negatives from every catalogue item, not only"
                    + " from the items that occur in training (MMRec's sampler, the default)"),
            ParamSpec.ofBoolean(TORCH_ADAM, false, "Adam exactly as torch.optim.Adam (eps after the bias"
                    + " correction, TorchAdam); false: DJL's Adam, whose effective eps is larger in early steps"),
            ParamSpec.ofBoolean(MMREC_RNG, false, "replay the MMRec toolbox's random streams for this seed: epoch"
                    + " shuffles (NumPy), negatives (Python random) and, for bpr and lightgcn, the initial"
                    + " embeddings (PyTorch CPU generator)"));

    public static TrainingSettings of(Hyperparameters params) {
        return new TrainingSettings(params.getDouble(LEARNING_RATE), params.getDouble(LR_DECAY),
                params.getInt(LR_DECAY_EPOCHS), params.getInt(BATCH_SIZE), params.getInt(PATIENCE),
                params.getInt(MAX_EPOCHS), params.getBoolean(NEGATIVES_FROM_ALL_ITEMS),
                params.getBoolean(TORCH_ADAM), params.getBoolean(MMREC_RNG));
    }
}
