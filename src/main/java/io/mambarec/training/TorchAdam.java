package io.mambarec.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * torch.optim.Adam (betas 0.9/0.999, eps 1e-8, no weight decay) on DJL's fused native Adam kernel.
 *
 * <p>PyTorch steps w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). DJL's
 * {@code Adam} folds both bias corrections into the learning rate, lr * sqrt(1 - b2^t) / (1 - b1^t),
 * and adds eps to sqrt(v) as it is, which is PyTorch's step only with eps * sqrt(1 - b2^t) in
 * place of eps: its effective eps is 31.6x PyTorch's at the first step and still 1.3x after 1,000.
 * This optimizer hands the kernel that per-step eps, so its steps are PyTorch's.
 */
public final class TorchAdam extends Optimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final ParameterTracker learningRate;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

    public TorchAdam(ParameterTracker learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double biasCorrection1 = 1 - Math.pow(BETA1, t);
        double biasCorrection2 = 1 - Math.pow(BETA2, t);
        float lr = learningRate.getNewValue(parameterId, t);
        float correctedLr = (float) (lr * Math.sqrt(biasCorrection2) / biasCorrection1);
        float epsilon = (float) (EPSILON * Math.sqrt(biasCorrection2));
        NDArray mean = withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike());
        NDArray variance = withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike());
        // the kernel updates weight, mean and variance in place (and clears the gradient)
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight),
                lr, correctedLr, 0f, rescaleGrad, clipGrad, BETA1, BETA2, epsilon, true, false);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
