package io.mambarec.registry;

import io.mambarec.model.Provenance;
import java.util.Map;

/**
 * Where a stored model version comes from: what is needed to train the same model again.
 *
 * @param formatVersion the format of its manifest and parameters
 * @param seed the random seed of its training run (null for a format-1 version)
 * @param codeVersion the git commit of the build that trained it (null for a format-1 version)
 * @param data its training data's split sizes and SHA-256 fingerprints (null for a format-1 version)
 * @param settings its resolved hyper-parameters and training settings
 */
public record VersionProvenance(
        int formatVersion, Long seed, String codeVersion, Provenance.Data data, Map<String, Object> settings) {}
