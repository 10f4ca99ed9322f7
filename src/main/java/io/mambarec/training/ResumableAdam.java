package io.mambarec.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import io.mambarec.runtime.FusedAdam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adam (betas 0.9/0.999, eps 1e-8, no weight decay), per parameter on DJL's native Adam kernel
 * ({@link #update}) or for all parameters at once on PyTorch's fused kernel ({@link #step(Map)}, what
 * the training loop uses), with its state (first and second moments, step counts) readable and
 * restorable, so a training run can be checkpointed and resumed with the very same steps. DJL's own
 * {@code Adam} keeps that state private.
 *
 * <p>Two conventions for eps. PyTorch steps w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * DJL's {@code Adam} folds both bias corrections into the learning rate, lr * sqrt(1 - b2^t) / (1 - b1^t),
 * and adds eps to sqrt(v) as it is: PyTorch's step with eps * sqrt(1 - b2^t) in place of eps, i.e. an
 * effective eps 31.6x PyTorch's at the first step and still 1.3x after 1,000. {@link #djl} keeps DJL's
 * convention ({@link #update} makes DJL's steps bit for bit: same kernel, same arguments);
 * {@link #torch} makes the steps PyTorch's ({@code torch_adam=true}). Either kernel gets the per-step
 * eps that gives the chosen convention.
 */
public final class ResumableAdam extends Optimizer {

    private static final Logger log = LoggerFactory.getLogger(ResumableAdam.class);
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
    /** The fused kernel for {@link #step(Map)}, or null to step each parameter with DJL's kernel. */
    private FusedAdam fused;

    private ResumableAdam(ParameterTracker learningRate, boolean torchEpsilon) {
        super(new Builder());
        this.learningRate = learningRate;
        this.torchEpsilon = torchEpsilon;
    }

    /**
     * Makes {@link #step(Map)} use PyTorch's fused kernel, loaded into {@code manager} (closed with it); where
     * it cannot be loaded, {@link #step(Map)} keeps DJL's per-parameter kernel.
     *
     * @return this optimizer
     */
    public synchronized ResumableAdam fused(NDManager manager) {
        try {
            fused = FusedAdam.load(manager);
        } catch (RuntimeException e) {
            log.warn("PyTorch's fused Adam kernel did not load; stepping each parameter with DJL's kernel", e);
            fused = null;
        }
        return this;
    }

    /** Whether {@link #step(Map)} runs the fused kernel. */
    public synchronized boolean isFused() {
        return fused != null;
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

    /**
     * One step of every parameter at once, as the training loop makes it (every parameter is updated
     * every batch): PyTorch's fused kernel over all of them in one call ({@link FusedAdam}: one pass
     * per tensor instead of the per-parameter kernel's dozen, and one native call instead of three per
     * parameter), then their gradients zeroed. The same update as {@link #update} per parameter, with
     * the eps convention kept (DJL's eps is PyTorch's eps / sqrt(1 - b2^t)); the kernels round in another
     * order (m as a lerp), so the weights agree to float precision, not bit for bit
     * ({@code ResumableAdamTest}). Without the fused kernel (it failed to load) it falls back to
     * {@link #update}.
     */
    public synchronized void step(Map<String, NDArray> parameters) {
        if (fused == null || parameters.isEmpty()) {
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                NDArray weight = parameter.getValue();
                try (NDArray gradient = weight.getGradient()) {
                    update(parameter.getKey(), weight, gradient);
                }
            }
            return;
        }
        List<NDArray> weights = new ArrayList<>(parameters.size());
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        List<NDArray> firstMoments = new ArrayList<>(parameters.size());
        List<NDArray> secondMoments = new ArrayList<>(parameters.size());
        String first = null;
        try {
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                String id = parameter.getKey();
                NDArray weight = parameter.getValue();
                first = first == null ? id : first;
                step = Math.max(step, steps.merge(id, 1, Integer::sum));
                weights.add(weight);
                gradients.add(weight.getGradient());
                firstMoments.add(means.computeIfAbsent(id, k -> weight.zerosLike()));
                secondMoments.add(variances.computeIfAbsent(id, k -> weight.zerosLike()));
            }
            int t = step;
            double biasCorrection2 = 1 - Math.pow(BETA2, t);
            double lr = learningRate.getNewValue(first, t);
            // the fused kernel adds eps to sqrt(v) / sqrt(1 - b2^t): DJL's convention adds it to sqrt(v)
            double epsilon = torchEpsilon ? EPSILON : EPSILON / Math.sqrt(biasCorrection2);
            fused.step(weights, gradients, firstMoments, secondMoments, t, lr, BETA1, BETA2, epsilon);
        } finally {
            gradients.forEach(NDArray::close);
        }
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
