package io.mambarec.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.SharedDatasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The in-process all-MiniLM-L6-v2 against the published sentence-transformers vectors of
 * ../shared/datasets/minilm-reference/reference.jsonl (24 texts, some longer than 256 word pieces).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextEncoderTest {

    private final TextEncoder encoder = new TextEncoder(1);

    @AfterAll
    void close() throws Exception {
        encoder.close();
    }

    @Test
    void everyReferenceTextGivesThePublishedVector() throws IOException {
        Path file = SharedDatasets.require("minilm-reference").resolve("reference.jsonl");
        List<ReferenceVectors.Line> lines = ReferenceVectors.read(file);
        assertThat(lines).hasSize(24);
        List<Double> cosines = new ArrayList<>();
        for (ReferenceVectors.Line line : lines) {
            float[] got = encoder.encode(line.text());
            assertThat(got).hasSize(TextEncoder.DIM);
            cosines.add(line.cosine(got));
        }
        assertThat(cosines).as("cosine with the published vector, per line").allMatch(c -> c >= 0.999);
    }

    @Test
    void vectorsHaveUnitLengthAndSimilarTextsAreCloser() {
        float[] shoes = encoder.encode("red running shoes");
        float[] sneakers = encoder.encode("crimson sneakers for jogging");
        float[] soup = encoder.encode("tomato soup recipe");
        double length = 0;
        for (float v : shoes) {
            length += v * v;
        }
        assertThat(Math.sqrt(length)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dot(shoes, sneakers)).isGreaterThan(dot(shoes, soup) + 0.2);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += a[d] * b[d];
        }
        return s;
    }
}
