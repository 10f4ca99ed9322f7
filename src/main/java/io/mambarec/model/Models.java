package io.mambarec.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The models this project knows, by name: bpr, lightgcn, mgcn and mambarec, simpler first, as
 * listed in {@code META-INF/services/io.mambarec.model.ModelDefinition}. They are found through
 * {@link ServiceLoader}, so this package, which holds the contracts every model family implements,
 * depends on none of the families.
 */
public final class Models {

    private static final Map<String, ModelDefinition> BY_NAME = new LinkedHashMap<>();

    static {
        for (ModelDefinition definition :
                ServiceLoader.load(ModelDefinition.class, ModelDefinition.class.getClassLoader())) {
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
