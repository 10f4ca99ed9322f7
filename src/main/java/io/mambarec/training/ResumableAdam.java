package io.mambarec.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (betas 0.9/0.999, eps 1e-8, no weight decay) on DJL's fused native Adam kernel, with its
 * state (first and second moments, step counts) readable and restorable, so a training run can be
 * checkpointed and resumed with the very same steps. DJL's own {@code Adam} keeps that state private.
 *
 * <p>Two conventions for eps. PyTorch steps w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * DJL's {@code Adam} folds both bias corrections into the learning rate, lr * sqrt(1 - b2^t) / (1 - b1^t),
 * and adds eps to sqrt(v) as it is: PyTorch's step with eps * sqrt(1 - b2^t) in place of eps, i.e. an
 * effective eps 31.6x PyTorch's at the first step and still 1.3x after 1,000. {@link #djl} makes DJL's
 * steps bit for bit (same kernel, same arguments); {@link #torch} hands the kernel the per-step eps
 * that makes them PyTorch's ({@code torch_adam=true}).
 */
public final class ResumableAdam extends Optimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;
    private static final String MEAN = "adam.m:";
    private static final String VARIANCE = "adam.v:";

    private final ParameterTracker learningRate;
    private final boolean torchEpsilon;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private final Map<String, Integer> steps = new LinkedHashMap<>();
    /** DJL's step number: the largest per-parameter count (every parameter is updated every batch). */
    private int step;

    private ResumableAdam(ParameterTracker learningRate, boolean torchEpsilon) {
        super(new Builder());
        this.learningRate = learningRate;
        this.torchEpsilon = torchEpsilon;
    }

    /** Steps exactly as DJL's {@code Adam.builder().optLearningRateTracker(rate).build()}. */
    public static ResumableAdam djl(ParameterTracker learningRate) {
        return new ResumableAdam(learningRate, false);
    }

    /** Steps exactly as {@code torch.optim.Adam}. */
    public static ResumableAdam torch(ParameterTracker learningRate) {
        return new ResumableAdam(learningRate, true);
    }

    @Override
    public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        int count = steps.merge(parameterId, 1, Integer::sum);
        step = Math.max(step, count);
        int t = step;
        double biasCorrection1 = 1 - Math.pow(BETA1, t);
        double biasCorrection2 = 1 - Math.pow(BETA2, t);
        float lr = learningRate.getNewValue(parameterId, t);
        float correctedLr = (float) (lr * Math.sqrt(biasCorrection2) / biasCorrection1);
        float epsilon = torchEpsilon ? (float) (EPSILON * Math.sqrt(biasCorrection2)) : EPSILON;
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        // the kernel updates weight, mean and variance in place (and clears the gradient)
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, mean, variance),
                        new NDList(weight),
                        lr,
                        correctedLr,
                        0f,
                        rescaleGrad,
                        clipGrad,
                        BETA1,
                        BETA2,
                        epsilon,
                        true,
                        false);
    }

    /** Copies of the moments, named {@code adam.m:<parameter>} / {@code adam.v:<parameter>}, owned by {@code manager}. */
    public synchronized NDList moments(NDManager manager) {
        NDList out = new NDList(means.size() * 2);
        means.forEach((name, array) -> out.add(copy(array, MEAN + name, manager)));
        variances.forEach((name, array) -> out.add(copy(array, VARIANCE + name, manager)));
        return out;
    }

    /** Update counts per parameter. */
    public synchronized Map<String, Integer> steps() {
        return Map.copyOf(steps);
    }

    /** Restores {@link #moments} and {@link #steps} saved from an optimizer of the same run; arrays are copied. */
    public synchronized void restore(NDList moments, Map<String, Integer> savedSteps, Map<String, NDArray> parameters) {
        for (NDArray array : moments) {
            String name = array.getName();
            boolean mean = name.startsWith(MEAN);
            String parameter = name.substring((mean ? MEAN : VARIANCE).length());
            NDArray weight = parameters.get(parameter);
            if (weight == null || !weight.getShape().equals(array.getShape())) {
                throw new IllegalArgumentException("optimizer state " + name + " matches no parameter of this model");
            }
            NDArray target = weight.zerosLike();
            array.copyTo(target);
            (mean ? means : variances).put(parameter, target);
        }
        steps.clear();
        steps.putAll(savedSteps);
        step = savedSteps.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static NDArray copy(NDArray array, String name, NDManager manager) {
        NDArray duplicate = array.duplicate();
        duplicate.attach(manager);
        duplicate.setName(name);
        return duplicate;
    }

    /** Unused: the factory methods configure everything; DJL's base class wants a builder. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
