package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.TorchLinear;
import java.util.ArrayList;
import java.util.List;

/**
 * One modality's item features up to the fusion: the trainable feature table F_m (initialised
 * from the raw features), its projection to d (for the visual slot with dimensionality reduction
 * D -> D/8 -> d), then DREAM.
 */
final class ModalityEncoder {

    private final String modality;
    private final NDArray features;
    private final List<TorchLinear> projection = new ArrayList<>();
    private final Dream dream;

    /**
     * @param rawFeatures the I x D raw features row-major, or null to start from zeros (a restore
     *     overwrites them)
     * @param reduction 0 for a single Linear(D, d), else Linear(D, D/reduction) then Linear(D/reduction, d)
     */
    ModalityEncoder(
            ParameterSet params,
            String modality,
            int items,
            int featureDim,
            float[] rawFeatures,
            int dim,
            int reduction,
            boolean withDream) {
        this.modality = modality;
        String prefix = "modality." + modality;
        Shape table = new Shape(items, featureDim);
        this.features = rawFeatures != null
                ? params.parameter(prefix + ".features", rawFeatures, table)
                : params.constant(prefix + ".features", table, 0f);
        if (reduction > 0) {
            int reduced = featureDim / reduction;
            if (reduced < 1) {
                throw new IllegalArgumentException("reduction " + reduction + " leaves nothing of the " + featureDim
                        + " features of modality " + modality);
            }
            projection.add(new TorchLinear(params, prefix + ".reduce", featureDim, reduced));
            projection.add(new TorchLinear(params, prefix + ".projection", reduced, dim));
        } else {
            projection.add(new TorchLinear(params, prefix + ".projection", featureDim, dim));
        }
        this.dream = withDream ? new Dream(params, prefix + ".dream", dim) : null;
    }

    /** DREAM_m(proj_m(F_m)) (or proj_m(F_m) without DREAM): I x d, before LayerNorm and Dropout. */
    NDArray forward(Mode mode) {
        NDArray x = features;
        for (TorchLinear layer : projection) {
            x = layer.forward(x);
        }
        return dream == null ? x : dream.forward(x, mode);
    }

    String modality() {
        return modality;
    }

    Dream dream() {
        return dream;
    }
}
