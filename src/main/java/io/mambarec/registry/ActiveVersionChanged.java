package io.mambarec.registry;

import io.mambarec.serving.ServingModel;

/**
 * Published after a version became the ACTIVE one (committed), with the model already loaded or
 * just trained, so this process can serve it without loading it again.
 */
public record ActiveVersionChanged(long version, ServingModel model) {}
