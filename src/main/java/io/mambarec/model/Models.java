package io.mambarec.model;

import io.mambarec.model.baseline.BprDefinition;
import io.mambarec.model.baseline.LightGcnDefinition;
import io.mambarec.model.mambarec.MambaRecDefinition;
import io.mambarec.model.mgcn.MgcnDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models this project knows, by name. */
public final class Models {

    private static final Map<String, ModelDefinition> BY_NAME = new LinkedHashMap<>();

    static {
        // each model package registers here: bpr, lightgcn (engine foundation), mgcn, mambarec
        for (ModelDefinition definition : List.<ModelDefinition>of(
                new BprDefinition(), new LightGcnDefinition(), new MgcnDefinition(), new MambaRecDefinition())) {
            BY_NAME.put(definition.name(), definition);
        }
    }

    private Models() {}

    public static ModelDefinition get(String name) {
        ModelDefinition definition = BY_NAME.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return definition;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
