package io.mambarec.model;

import io.mambarec.serving.ServingModel;

/**
 * A model class that imports from serving, against the layering: only {@code ArchitectureRulesTest}
 * uses it, to show that the architecture rules catch such an import.
 */
public final class ServingImportFixture {

    private ServingImportFixture() {}

    static long version(ServingModel model) {
        return model.version();
    }
}
