package io.mambarec.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Published sentence embeddings to check {@link TextEncoder} against: JSON lines
 * {@code {"text": ..., "vector": [floats]}}.
 */
public final class ReferenceVectors {

    /** A text and its published vector. */
    public record Line(String text, float[] vector) {

        /** Cosine of {@code encoded} (unit length) with this line's vector. */
        public double cosine(float[] encoded) {
            double dot = 0;
            double norm = 0;
            for (int d = 0; d < vector.length; d++) {
                dot += encoded[d] * vector[d];
                norm += (double) vector[d] * vector[d];
            }
            return dot / Math.sqrt(norm);
        }
    }

    private ReferenceVectors() {}

    public static List<Line> read(Path file) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<Line> lines = new ArrayList<>();
        for (String raw : Files.readAllLines(file)) {
            if (raw.isBlank()) {
                continue;
            }
            JsonNode row = json.readTree(raw);
            JsonNode values = row.path("vector");
            float[] vector = new float[values.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) values.get(d).asDouble();
            }
            lines.add(new Line(row.path("text").asString(), vector));
        }
        return lines;
    }
}
