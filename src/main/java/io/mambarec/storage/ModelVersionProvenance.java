package io.mambarec.storage;

/**
 * A model version's provenance as stored beside it: the manifest's format version, the seed, the
 * git commit of the build that trained it, and (as JSON) its training data's fingerprint and its
 * settings. Seed, code version, fingerprint and settings are null for a format-1 version.
 */
public record ModelVersionProvenance(
        int formatVersion, Long seed, String codeVersion, String dataFingerprintJson, String settingsJson) {}
