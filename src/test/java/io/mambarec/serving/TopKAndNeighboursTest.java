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
