package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.Scalars;
import io.mambarec.model.nn.TorchLinear;
import java.util.ArrayList;
import java.util.List;

/**
 * The behaviour-aware fuser (MGCN, kept by MambaRec) over n modality views M_m: attention weights
 * alpha = softmax over modalities of q(M_m) per node, with q = Linear(d, d) -> Tanh -> Linear(d,
 * 1, no bias) shared by the modalities; common = sum_m alpha_m M_m; specific_m = M_m - common;
 * side = (sum_m p_m(H) * specific_m + common) / (n + 1), with preference gates
 * p_m = Sigmoid(Linear(d, d)) of the user-item view H.
 *
 * <p>With a single modality the authors' code uses side = M_1 (no attention, no preference gate),
 * and so does this class: q and p are then not created.
 */
final class ModalityFusion {

    private final TorchLinear queryHidden;
    private final TorchLinear queryOut;
    private final List<TorchLinear> preferenceGates = new ArrayList<>();

    ModalityFusion(ParameterSet params, List<String> modalities, int dim) {
        if (modalities.size() > 1) {
            queryHidden = new TorchLinear(params, "fusion.query.0", dim, dim);
            queryOut = new TorchLinear(params, "fusion.query.2", dim, 1, false);
            for (String modality : modalities) {
                preferenceGates.add(new TorchLinear(params, "modality." + modality + ".preference_gate", dim, dim));
            }
        } else {
            queryHidden = null;
            queryOut = null;
        }
    }

    /** The side view from the modality views {@code views} (each (U + I) x d) and H. */
    NDArray fuse(List<NDArray> views, NDArray userItemView) {
        if (views.size() == 1) {
            return views.get(0);
        }
        NDArray alpha = attentionWeights(views);
        NDArray common = null;
        for (int m = 0; m < views.size(); m++) {
            NDArray weighted = alpha.get(new NDIndex(":, " + m + ":" + (m + 1))).mul(views.get(m));
            common = common == null ? weighted : common.add(weighted);
        }
        NDArray side = common;
        for (int m = 0; m < views.size(); m++) {
            NDArray preference = Activation.sigmoid(preferenceGates.get(m).forward(userItemView));
            side = side.add(preference.mul(views.get(m).sub(common)));
        }
        return Scalars.dividedBy(side, views.size() + 1);
    }

    /** alpha, (U + I) x n: softmax over the modalities of q(M_m); each row sums to one. */
    NDArray attentionWeights(List<NDArray> views) {
        NDList scores = new NDList(views.size());
        for (NDArray view : views) {
            scores.add(queryOut.forward(queryHidden.forward(view).tanh()));
        }
        return NDArrays.concat(scores, 1).softmax(1);
    }
}
