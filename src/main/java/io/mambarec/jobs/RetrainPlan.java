package io.mambarec.jobs;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.TrainingSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A retraining request resolved against its model: every hyper-parameter and setting with its
 * value, the seed, whether the quality gate is overridden, and for {@code auto} the search (null
 * otherwise). Stored as the job's {@code request}.
 */
@SuppressWarnings("unchecked")
record RetrainPlan(String model, Hyperparameters params, long seed, boolean force, Search search) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * An {@code auto} job's search.
     *
     * @param budgetMinutes its wall-clock budget
     * @param fixed the settings the request gave, which the search does not vary
     */
    record Search(int budgetMinutes, Map<String, String> fixed) {}

    /** The plan a job row stores ({@link #toJson()}), read back by the trainer that claims it. */
    static RetrainPlan fromJson(String json) {
        Map<String, Object> map = JSON.readValue(json, Map.class);
        String model = (String) map.get("model");
        Hyperparameters params =
                Hyperparameters.fromValues(Models.get(model).params(), (Map<String, ?>) map.get("params"));
        Map<String, Object> search = (Map<String, Object>) map.get("search");
        return new RetrainPlan(
                model,
                params,
                ((Number) map.get("seed")).longValue(),
                Boolean.TRUE.equals(map.get("force")),
                search == null
                        ? null
                        : new Search(((Number) search.get("budgetMinutes")).intValue(), (Map<String, String>)
                                search.get("fixed")));
    }

    String toJson() {
        return JSON.writeValueAsString(asMap());
    }

    int maxEpochs() {
        return params.getInt(TrainingSettings.MAX_EPOCHS);
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", model);
        map.put("params", params.asMap());
        map.put("seed", seed);
        map.put("force", force);
        if (search != null) {
            map.put("search", Map.of("budgetMinutes", search.budgetMinutes(), "fixed", search.fixed()));
        }
        return map;
    }
}
