package io.mambarec.testsupport;

import tools.jackson.databind.JsonNode;

/** Vectors in test assertions: from a JSON array, and their cosine. */
public final class TestVectors {

    private TestVectors() {}

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) array.get(k).asDouble();
        }
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
            na += a[d] * a[d];
            nb += b[d] * b[d];
        }
        return dot / Math.sqrt(na * nb);
    }
}
