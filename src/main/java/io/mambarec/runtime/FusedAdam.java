package io.mambarec.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * PyTorch's fused Adam kernel ({@code torch._fused_adam_}, one vectorised pass over each tensor
 * that reads gradient, moments and weight and writes moments and weight) for a whole list of
 * parameters in one call, followed by zeroing their gradients. DJL exposes no such call; it runs
 * through a two-line {@link TorchScriptModule} that this class writes out and loads once.
 *
 * <p>The step is {@code torch.optim.Adam(fused=True)}'s: m = lerp(m, g, 1 - b1), v = b2 v + (1 - b2) g^2,
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps); betas and eps are the caller's.
 */
public final class FusedAdam implements AutoCloseable {

    private static final String NAME = "FusedAdam";

    /** The module's source, as TorchScript serialises a scripted module's code. */
    private static final String CODE = """
            class FusedAdam(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.FusedAdam,
                params: List[Tensor],
                grads: List[Tensor],
                exp_avgs: List[Tensor],
                exp_avg_sqs: List[Tensor],
                state_steps: List[Tensor],
                lr: float,
                beta1: float,
                beta2: float,
                eps: float) -> Tensor:
                torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), state_steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=0., eps=eps, amsgrad=False, maximize=False)
                torch._foreach_zero_(grads)
                return state_steps[0]
            """;

    private final PtSymbolBlock module;
    private final PtNDManager manager;

    private FusedAdam(PtSymbolBlock module, PtNDManager manager) {
        this.module = module;
        this.manager = manager;
    }

    /** Builds and loads the module; its native handle belongs to a sub-manager of {@code parent}. */
    public static FusedAdam load(NDManager parent) {
        PtNDManager manager = (PtNDManager) parent.newSubManager();
        try {
            return new FusedAdam(TorchScriptModule.load(manager, NAME, CODE), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * One Adam step of every parameter in place (weights, first and second moments), the gradients
     * zeroed afterwards; all lists in the same order, float32 and contiguous.
     *
     * @param step the step number t (1 for the first step)
     */
    public void step(
            List<NDArray> weights,
            List<NDArray> gradients,
            List<NDArray> means,
            List<NDArray> variances,
            int step,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon) {
        int n = weights.size();
        if (gradients.size() != n || means.size() != n || variances.size() != n || n == 0) {
            throw new IllegalArgumentException("weights, gradients and moments differ in number or are empty");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray stepTensor = scope.full(new Shape(), step, DataType.FLOAT32);
            PtNDArray[] steps = new PtNDArray[n];
            java.util.Arrays.fill(steps, (PtNDArray) stepTensor);
            IValue[] inputs = {
                IValue.listFrom(pt(weights)),
                IValue.listFrom(pt(gradients)),
                IValue.listFrom(pt(means)),
                IValue.listFrom(pt(variances)),
                IValue.listFrom(steps),
                IValue.from(learningRate),
                IValue.from(beta1),
                IValue.from(beta2),
                IValue.from(epsilon)
            };
            // in-place updates of leaves that require gradients: autograd must be off
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                module.forward(inputs).close();
            } finally {
                JniUtils.setGradMode(gradMode);
                for (IValue input : inputs) {
                    input.close();
                }
            }
        }
    }

    private static PtNDArray[] pt(List<NDArray> arrays) {
        return arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new);
    }

    @Override
    public void close() {
        manager.close();
    }
}
