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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's fused Adam kernel ({@code torch._fused_adam_}, one vectorised pass over each tensor
 * that reads gradient, moments and weight and writes moments and weight) for a whole list of
 * parameters in one call, followed by zeroing their gradients. DJL exposes no such call; it runs
 * through a two-line TorchScript module that this class writes out and loads once.
 *
 * <p>The step is {@code torch.optim.Adam(fused=True)}'s: m = lerp(m, g, 1 - b1), v = b2 v + (1 - b2) g^2,
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps); betas and eps are the caller's.
 */
public final class FusedAdam implements AutoCloseable {

    private static final String NAME = "fused_adam";

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
        Path file = null;
        try {
            file = Files.createTempFile(NAME, ".pt");
            Files.write(file, archive());
            PtSymbolBlock module = JniUtils.loadModule(manager, file, false, new String[0], new String[0], false);
            return new FusedAdam(module, manager);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot write the fused Adam module", e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
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

    /** The TorchScript archive: the module object (data.pkl), its code, no constants, format version 3. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, NAME + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, NAME + "/data.pkl", modulePickle());
            stored(zip, NAME + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, NAME + "/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle protocol 2 of an instance of __torch__.FusedAdam whose only attribute is training = True,
     * as torch.jit.save writes a module object: GLOBAL, EMPTY_TUPLE, NEWOBJ, the attribute dict, BUILD.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        p.writeBytes("c__torch__\nFusedAdam\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1, '('
        }); // BINPUT, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BINPUT, MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.writeBytes(new byte[] {'X', (byte) key.length, 0, 0, 0}); // BINUNICODE, little-endian length
        p.writeBytes(key);
        p.writeBytes(new byte[] {'q', 2, (byte) 0x88, 'u', 'b', '.'}); // BINPUT, NEWTRUE, SETITEMS, BUILD, STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
