package io.mambarec.model;

import io.mambarec.data.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes a model is built for: users, items, and each modality's raw feature dimension in
 * slot order. Enough, with a saved state, to rebuild a trained model without its dataset.
 */
public record ModelShape(int numUsers, int numItems, Map<String, Integer> modalityDims) {

    public ModelShape {
        modalityDims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modalityDims));
    }

    public static ModelShape of(Dataset data) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        data.features().forEach((m, f) -> dims.put(m, f.cols()));
        return new ModelShape(data.numUsers(), data.numItems(), dims);
    }
}
