package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKAndNeighboursTest {

    @Test
    void scoringEveryItemAtOnceEqualsRowByRowInnerProducts() {
        Random random = new Random(5);
        int n = 1003; // not a multiple of the four rows scored together
        for (int dim : new int[] {64, 5}) {
            float[] rows = gaussian(random, n * dim);
            float[] query = gaussian(random, dim);
            float[] scores = new float[n + 7]; // a reused buffer may be longer than the catalogue
            Vectors.scoreAll(rows, n, dim, query, scores);
            for (int i = 0; i < n; i++) {
                assertThat(scores[i]).isCloseTo((float) Vectors.dot(rows, i * dim, query, 0, dim), within(1e-4f));
            }
        }
    }

    @Test
    void scoringChosenRowsGivesExactlyTheScoresOfScoringEveryRow() {
        Random random = new Random(11);
        int n = 1003;
        for (int dim : new int[] {64, 6, 5}) {
            float[] rows = gaussian(random, n * dim);
            float[] query = gaussian(random, dim);
            float[] all = new float[n];
            Vectors.scoreAll(rows, n, dim, query, all);
            // every third row and the last ones: rows that scoreAll scores in groups of four and alone
            int[] which =
                    IntStream.range(0, n).filter(i -> i % 3 == 0 || i > n - 3).toArray();
            float[] chosen = new float[which.length];
            Vectors.scoreRows(rows, dim, which, which.length, query, chosen);
            for (int j = 0; j < which.length; j++) {
                assertThat(chosen[j]).as("row %d, dim %d", which[j], dim).isEqualTo(all[which[j]]);
            }
        }
    }

    @Test
    void theDimensionMajorKernelRoundsExactlyAsTheScan() {
        Random random = new Random(13);
        int n = 1003; // three tiles of 300 and a short one
        for (int dim : new int[] {64, 6, 2}) {
            float[] rows = gaussian(random, n * dim);
            float[] queries = gaussian(random, 7 * dim);
            float[] out = new float[5 * n];
            Vectors.scoreColumns(
                    Vectors.columns(rows, n, dim), n, dim, queries, 2, 5, new float[300], new float[300], out);
            float[] all = new float[n];
            for (int q = 0; q < 5; q++) {
                Vectors.scoreAll(
                        rows, n, dim, java.util.Arrays.copyOfRange(queries, (2 + q) * dim, (3 + q) * dim), all);
                for (int i = 0; i < n; i++) {
                    assertThat(out[q * n + i])
                            .as("query %d, row %d, dim %d", q, i, dim)
                            .isEqualTo(all[i]);
                }
            }
        }
    }

    @Test
    void topKEqualsAFullSortTiesByLowerIndex() {
        Random random = new Random(3);
        double[] scores = new double[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(50); // many ties
        }
        TopK top = new TopK(37);
        for (int i = 0; i < scores.length; i++) {
            top.offer(i, scores[i]);
        }
        int[] expected = IntStream.range(0, scores.length)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
                .limit(37)
                .mapToInt(Integer::intValue)
                .toArray();
        TopK.Ranked ranked = top.ranked();
        assertThat(ranked.indices()).containsExactly(expected);
        assertThat(ranked.scores()[0]).isEqualTo(scores[expected[0]]);
        assertThat(new TopK(5).ranked().indices()).isEmpty();
    }

    @Test
    void aCandidatePrefixIsTheFullRankingCutAfterItsLastUnmarkedRow() {
        Random random = new Random(17);
        float[] values = {2.5f, 1f, 0f, -0f, -1f, -3.25f, 7f};
        for (int trial = 0; trial < 200; trial++) {
            int items = 1 + random.nextInt(120);
            float[] scores = new float[items];
            boolean[] marked = new boolean[items];
            for (int i = 0; i < items; i++) {
                scores[i] =
                        random.nextBoolean() ? values[random.nextInt(values.length)] : (float) random.nextGaussian();
                marked[i] = random.nextInt(3) == 0;
            }
            int capacity = 1 + random.nextInt(40);
            // every row ranked as the scan ranks them (higher score, then lower row; -0 equals 0)
            int[] ranking = IntStream.range(0, items)
                    .boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -(scores[i] + 0.0))
                            .thenComparing(i -> i))
                    .mapToInt(Integer::intValue)
                    .toArray();
            int cut = ranking.length;
            int unmarked = 0;
            for (int j = 0; j < ranking.length; j++) {
                if (!marked[ranking[j]] && ++unmarked == capacity) {
                    cut = j + 1;
                    break;
                }
            }
            if (unmarked == capacity
                    && IntStream.range(0, items).filter(i -> !marked[i]).count() == capacity) {
                cut = ranking.length; // every unmarked row kept: the prefix is every row
            }
            long[] heap = new long[Math.min(capacity, items)];
            int[] prefix = CandidateLists.prefix(scores, 0, items, marked.clone(), heap);
            assertThat(prefix).as("trial %d", trial).containsExactly(java.util.Arrays.copyOf(ranking, cut));
        }
    }

    @Test
    void aNewItemTakesTheSimilarityWeightedMeanOfItsNearestItemsPerModality() {
        // 12 model items in 2-d feature space (one modality); items 0..9 point near (1, 0), 10 and 11 away
        float[][][] features = new float[12][][];
        float[] vectors = new float[12 * 2];
        for (int j = 0; j < 12; j++) {
            double angle = j < 10 ? 0.01 * j : Math.PI / 2 + 0.5 * (j - 9);
            features[j] = new float[][] {Vectors.unit(new float[] {(float) Math.cos(angle), (float) Math.sin(angle)})};
            vectors[2 * j] = j; // embedding (j, 1)
            vectors[2 * j + 1] = 1;
        }
        float[] derived = NeighbourEmbedding.of(new float[][] {Vectors.unit(new float[] {1, 0})}, features, vectors, 2);
        double weights = 0;
        double weighted = 0;
        for (int j = 0; j < 10; j++) {
            double w = Math.cos(0.01 * j);
            weights += w;
            weighted += w * j;
        }
        assertThat(derived[0]).isCloseTo((float) (weighted / weights), within(1e-4f));
        assertThat(derived[1]).isCloseTo(1f, within(1e-5f));
        // no features at all: nothing to derive from
        assertThat(NeighbourEmbedding.of(new float[][] {null}, features, vectors, 2))
                .isNull();
    }

    private static float[] gaussian(Random random, int length) {
        float[] values = new float[length];
        for (int k = 0; k < length; k++) {
            values[k] = (float) random.nextGaussian();
        }
        return values;
    }
}
