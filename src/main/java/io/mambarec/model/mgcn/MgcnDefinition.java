package io.mambarec.model.mgcn;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.mambarec.GraphRecommenderDefinition;
import io.mambarec.model.mambarec.MambaRec;
import io.mambarec.model.mambarec.MambaRecConfig;
import java.util.List;

/**
 * {@code mgcn}: MGCN (Yu et al., ACM MM 2023) as the MMRec toolbox's {@code models/mgcn.py}:
 * behaviour-guided purifier, user-item and item-item views, behaviour-aware fuser, InfoNCE. It is
 * the network MambaRec extends, so it runs as {@link MambaRec} with MambaRec's additions off: a
 * single Linear(D_m, d) per modality (no reduction), no DREAM, no LayerNorm/Dropout, no MMD.
 * Defaults are the toolbox's MGCN.yaml (2 user-item layers, cl_loss 0.01 from its grid
 * {0.001, 0.01, 0.1}, learning rate decay 0.96 per 50 epochs) and overall.yaml (stopping_step 20).
 */
public final class MgcnDefinition extends GraphRecommenderDefinition {

    public static final String NAME = "mgcn";

    public MgcnDefinition() {
        super(List.of(), 2, 20, 1.0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected MambaRecConfig config(Hyperparameters params) {
        return MambaRecConfig.mgcn(params);
    }
}
