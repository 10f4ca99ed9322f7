package io.mambarec.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The replays against values printed by CPython 3.11.2, NumPy 1.24.2, pandas 1.5.3 and PyTorch
 * 1.13 (Debian 12 packages), e.g. {@code random.seed(999); random.getrandbits(32)},
 * {@code np.random.seed(999); np.random.permutation(20)},
 * {@code torch.manual_seed(999); torch.nn.init.xavier_uniform_(torch.empty(3, 64))}.
 */
class RandomStreamReplayTest {

    @Test
    void mersenneTwisterMatchesTheReferenceImplementation() {
        // mt19937ar.c: init_genrand(5489) and init_by_array({0x123, 0x234, 0x345, 0x456})
        assertThat(MersenneTwister.seeded(5489).nextUnsigned32()).isEqualTo(3499211612L);
        MersenneTwister byArray = MersenneTwister.seededByArray(new int[] {0x123, 0x234, 0x345, 0x456});
        assertThat(new long[] {byArray.nextUnsigned32(), byArray.nextUnsigned32(), byArray.nextUnsigned32()})
                .containsExactly(1067595299L, 955945823L, 477289528L);
    }

    @Test
    void pythonRandomReplaysGetrandbitsShuffleAndSample() {
        PythonRandom bits = new PythonRandom(999);
        assertThat(new long[] {bits.getrandbits(32), bits.getrandbits(32), bits.getrandbits(32)})
                .containsExactly(3355859300L, 2915466388L, 343879192L);

        PythonRandom random = new PythonRandom(999);
        int[] list = IntStream.range(0, 20).toArray();
        random.shuffle(list);
        assertThat(list).containsExactly(8, 11, 9, 6, 0, 4, 7, 14, 3, 1, 13, 5, 10, 12, 19, 16, 15, 17, 18, 2);
        int[] population = IntStream.range(0, 6710).toArray();
        assertThat(IntStream.range(0, 5).map(k -> random.sampleOne(population)).toArray())
                .containsExactly(5171, 3295, 613, 2210, 192);

        PythonRandom twoWords = new PythonRandom((1L << 40) + 5);
        assertThat(new long[] {twoWords.getrandbits(32), twoWords.getrandbits(32)})
                .containsExactly(2166296868L, 2220160828L);
        PythonRandom zero = new PythonRandom(0); // random.randrange(1000) is _randbelow(1000)
        assertThat(new int[] {zero.randbelow(1000), zero.randbelow(1000), zero.randbelow(1000)})
                .containsExactly(864, 394, 776);
    }

    @Test
    void numpyShuffleIsPermutationAndPandasSample() {
        NumpyRandomState numpy = new NumpyRandomState(999);
        int[] permutation = IntStream.range(0, 20).toArray();
        numpy.shuffle(permutation);
        assertThat(permutation).containsExactly(7, 6, 15, 4, 12, 2, 10, 14, 13, 16, 18, 19, 3, 9, 11, 17, 8, 1, 5, 0);

        // df = df.sample(frac=1).reset_index(drop=True), twice, on a 12-row frame
        NumpyRandomState epochs = new NumpyRandomState(999);
        int[] rows = IntStream.range(0, 12).toArray();
        epochs.shuffle(rows);
        assertThat(rows).containsExactly(4, 2, 10, 11, 6, 7, 3, 9, 8, 1, 5, 0);
        epochs.shuffle(rows);
        assertThat(rows).containsExactly(2, 1, 5, 9, 6, 3, 11, 10, 7, 4, 0, 8);
    }

    @Test
    void torchGeneratorReplaysXavierUniformAndNormalFills() {
        float[] uniform = new float[3 * 64];
        double bound = Math.sqrt(3.0) * Math.sqrt(2.0 / (3 + 64));
        new TorchCpuGenerator(999).fillUniform(uniform, -bound, bound);
        assertThat(uniform[0]).isCloseTo(0.10628141462802887f, within(1e-7f));
        assertThat(uniform[1]).isCloseTo(0.09162936359643936f, within(1e-7f));
        assertThat(uniform[2]).isCloseTo(-0.27189746499061584f, within(1e-7f));
        assertThat(uniform[191]).isCloseTo(-0.01818699575960636f, within(1e-7f));

        // nn.Embedding(5, 64): normal_(0, 1); then xavier_normal_ on it draws on
        TorchCpuGenerator torch = new TorchCpuGenerator(999);
        float[] embedding = new float[5 * 64];
        torch.fillNormal(embedding, 0, 1);
        assertThat(embedding[0]).isCloseTo(-0.25279873609542847f, within(1e-6f));
        assertThat(embedding[1]).isCloseTo(1.4072133302688599f, within(1e-6f));
        assertThat(embedding[318]).isCloseTo(1.029849648475647f, within(1e-6f));
        assertThat(embedding[319]).isCloseTo(0.20948296785354614f, within(1e-6f));
        float[] xavier = new float[5 * 64];
        torch.fillNormal(xavier, 0, Math.sqrt(2.0 / (5 + 64)));
        assertThat(xavier[0]).isCloseTo(-0.12669727206230164f, within(1e-6f));
        assertThat(xavier[3]).isCloseTo(-0.25608646869659424f, within(1e-6f));

        // a size that is not a multiple of 16: the last 16 values are drawn again
        float[] odd = new float[37];
        new TorchCpuGenerator(999).fillNormal(odd, 0, 1);
        assertThat(odd[0]).isCloseTo(-0.25279873609542847f, within(1e-6f));
        assertThat(odd[34]).isCloseTo(-0.4750349521636963f, within(1e-6f));
        assertThat(odd[35]).isCloseTo(-0.9977553486824036f, within(1e-6f));
        assertThat(odd[36]).isCloseTo(0.048855479806661606f, within(1e-6f));
    }
}
