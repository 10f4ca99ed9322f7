package io.mambarec.model.mambarec;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.mambarec.MambaRecConfig.Keys;
import java.util.List;

/**
 * {@code mambarec}: the full model, defaults as the authors' MambaRec.yaml (4 user-item layers,
 * reduction 8, cl_loss 0.01, MMD weight 0.1 and bandwidth 1.0 from their grid) and overall.yaml
 * (stopping_step 10).
 */
public final class MambaRecDefinition extends GraphRecommenderDefinition {

    public static final String NAME = "mambarec";

    /**
     * The scalable loop's learning rate, 5 x learning_rate: with InfoNCE on, BPR stays on a plateau
     * near ln 2 for a number of Adam STEPS that shrinks as the step grows (synthetic shops,
     * docs/results.md); the scalable loop has 32 steps per epoch whatever the data's size, and at
     * 1e-3 the plateau outlasts the default patience of 10 epochs, so early stopping keeps the
     * first epoch's model.
     */
    public static final double SCALABLE_LR_FACTOR = 5.0;

    public MambaRecDefinition() {
        super(
                List.of(
                        ParamSpec.ofBoolean(Keys.DREAM, true, "DREAM on each modality's features (false: ablation)"),
                        ParamSpec.ofBoolean(
                                Keys.LAYER_NORM, true, "shared LayerNorm + Dropout on the modality features"),
                        ParamSpec.ofDouble(Keys.DROPOUT, 0.2, ParamRanges.DROPOUT, "dropout rate after the LayerNorm"),
                        ParamSpec.ofBoolean(Keys.MMD, true, "MMD between the first two modalities (false: ablation)"),
                        ParamSpec.ofDouble(
                                Keys.MMD_WEIGHT, 0.1, ParamRanges.WEIGHT, "MMD weight (authors' grid 0.1, 0.15, 0.2)"),
                        ParamSpec.ofDouble(
                                Keys.MMD_BANDWIDTH,
                                1.0,
                                ParamRanges.POSITIVE,
                                "MMD Gaussian kernel bandwidth sigma (grid 1.0, 1.5, 2.0)"),
                        ParamSpec.ofInt(
                                Keys.REDUCTION,
                                8,
                                ParamRanges.REDUCTION,
                                "visual reduction factor: D -> D/r -> d for the first modality; 0: D -> d")),
                4,
                10,
                SCALABLE_LR_FACTOR);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected MambaRecConfig config(Hyperparameters params) {
        return MambaRecConfig.mambaRec(params);
    }
}
