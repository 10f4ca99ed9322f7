package io.mambarec.random;

/**
 * PyTorch's default CPU generator after {@code torch.manual_seed(seed)} (an MT19937 seeded with
 * init_genrand), with the two float32 fills that initialise embedding tables:
 * {@code Tensor.uniform_} (xavier_uniform_) and {@code Tensor.normal_} (nn.Embedding's default
 * and xavier_normal_). Draws are consumed exactly as ATen's CPU kernels consume them; values agree
 * with PyTorch's to float rounding (ATen may fuse multiply-adds, and its vectorised normal fill uses
 * its own log/sin/cos).
 */
public final class TorchCpuGenerator {

    private static final int FLOAT_MANTISSA_MASK = (1 << 24) - 1;
    private static final float FLOAT_DIVISOR = 1.0f / (1 << 24);
    private static final int NORMAL_BLOCK = 16;

    private final MersenneTwister mt;

    /** {@code torch.manual_seed(seed)}: the generator keeps the low 32 bits of the seed. */
    public TorchCpuGenerator(long seed) {
        this.mt = MersenneTwister.seeded((int) seed);
    }

    /** One float32 of {@code at::uniform_real_distribution<float>(from, to)}: 24 random bits scaled. */
    private float uniform(float from, float to) {
        float x = (mt.nextInt() & FLOAT_MANTISSA_MASK) * FLOAT_DIVISOR;
        return x * (to - from) + from;
    }

    /** {@code tensor.uniform_(from, to)} on a contiguous float32 tensor, in memory order. */
    public void fillUniform(float[] data, double from, double to) {
        float lo = (float) from;
        float hi = (float) to;
        for (int i = 0; i < data.length; i++) {
            data[i] = uniform(lo, hi);
        }
    }

    /**
     * {@code tensor.normal_(mean, std)} on a contiguous float32 tensor of at least 16 elements
     * (ATen's {@code normal_fill}): one uniform per element, then Box-Muller over blocks of 16
     * (u1 from the first 8, u2 from the last 8); when the size is not a multiple of 16 the last 16
     * elements are drawn again and transformed as one more block.
     */
    public void fillNormal(float[] data, double mean, double std) {
        if (data.length < NORMAL_BLOCK) {
            throw new IllegalArgumentException(
                    "normal_ is replayed for tensors of at least 16 elements, not " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = uniform(0f, 1f);
        }
        for (int i = 0; i + NORMAL_BLOCK <= data.length; i += NORMAL_BLOCK) {
            boxMuller16(data, i, mean, std);
        }
        if (data.length % NORMAL_BLOCK != 0) {
            int tail = data.length - NORMAL_BLOCK;
            for (int i = tail; i < data.length; i++) {
                data[i] = uniform(0f, 1f);
            }
            boxMuller16(data, tail, mean, std);
        }
    }

    private static void boxMuller16(float[] data, int offset, double mean, double std) {
        for (int j = 0; j < NORMAL_BLOCK / 2; j++) {
            double u1 = 1 - data[offset + j];
            double u2 = data[offset + j + NORMAL_BLOCK / 2];
            double radius = Math.sqrt(-2 * Math.log(u1));
            double theta = 2 * Math.PI * u2;
            data[offset + j] = (float) (radius * Math.cos(theta) * std + mean);
            data[offset + j + NORMAL_BLOCK / 2] = (float) (radius * Math.sin(theta) * std + mean);
        }
    }
}
