package io.mambarec.jobs;

import io.mambarec.model.Hyperparameters;
import io.mambarec.training.TrainingSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A retraining request resolved against its model: every hyper-parameter and setting with its
 * value, the seed, and whether the quality gate is overridden. Stored as the job's {@code request}.
 */
record RetrainPlan(String model, Hyperparameters params, long seed, boolean force) {

    int maxEpochs() {
        return params.getInt(TrainingSettings.MAX_EPOCHS);
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", model);
        map.put("params", params.asMap());
        map.put("seed", seed);
        map.put("force", force);
        return map;
    }
}
