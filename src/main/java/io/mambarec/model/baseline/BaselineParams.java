package io.mambarec.model.baseline;

import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.TrainingSettings;
import java.util.ArrayList;
import java.util.List;

/** Hyper-parameters shared by the interaction-only baselines, with the MMRec toolbox's defaults. */
final class BaselineParams {

    static final String EMBEDDING_SIZE = "embedding_size";
    static final String REG_WEIGHT = "reg_weight";

    private BaselineParams() {}

    /**
     * The model's own parameters followed by the training settings. The toolbox's overall.yaml
     * sets learning_rate_scheduler [1.0, 50] (no decay) and stopping_step 20: the toolbox's baseline
     * runs are made so, hence lr_decay 1.0 and patience 20 here (MambaRec's code: 0.96, 10).
     * The baselines replay the toolbox run itself by default: its random streams (mmrec_rng) and
     * torch.optim.Adam's exact steps (torch_adam), so that a seed gives the toolbox's numbers.
     */
    static List<ParamSpec> with(List<ParamSpec> own) {
        List<ParamSpec> all = new ArrayList<>(own);
        for (ParamSpec spec : TrainingSettings.PARAMS) {
            all.add(
                    switch (spec.key()) {
                        case TrainingSettings.LR_DECAY -> spec.withDefault(1.0);
                        case TrainingSettings.PATIENCE -> spec.withDefault(20);
                        case TrainingSettings.MMREC_RNG, TrainingSettings.TORCH_ADAM -> spec.withDefault(true);
                        default -> spec;
                    });
        }
        return List.copyOf(all);
    }

    static ParamSpec embeddingSize() {
        return ParamSpec.ofInt(EMBEDDING_SIZE, 64, ParamRanges.EMBEDDING_SIZE, "embedding dimension d");
    }
}
