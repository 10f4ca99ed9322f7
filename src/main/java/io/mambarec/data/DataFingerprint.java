package io.mambarec.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 of everything a training run reads from a {@link Dataset}: user and item ids, the three
 * splits (with their training weights) and the feature matrices. Two datasets with the same fingerprint train the same model
 * for the same seed and settings.
 */
public final class DataFingerprint {

    private DataFingerprint() {}

    public static String of(Dataset data) {
        MessageDigest sha = sha256();
        ids(sha, data.userIds());
        ids(sha, data.itemIds());
        for (Split split : Split.values()) {
            interactions(sha, data.split(split));
        }
        for (Map.Entry<String, FeatureMatrix> modality : data.features().entrySet()) {
            sha.update(modality.getKey().getBytes(StandardCharsets.UTF_8));
            FeatureMatrix m = modality.getValue();
            ByteBuffer buffer = ByteBuffer.allocate(Float.BYTES * 4096);
            float[] values = m.values();
            for (int k = 0; k < values.length; k++) {
                if (!buffer.hasRemaining()) {
                    sha.update(buffer.flip());
                    buffer.clear();
                }
                buffer.putFloat(values[k]);
            }
            sha.update(buffer.flip());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256 of the training split alone: user and item ids, then its interactions with their weights. */
    public static String ofTrainingSplit(Dataset data) {
        MessageDigest sha = sha256();
        ids(sha, data.userIds());
        ids(sha, data.itemIds());
        interactions(sha, data.train());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void interactions(MessageDigest sha, Interactions rows) {
        ints(sha, rows.users());
        ints(sha, rows.items());
        if (rows.weights() != null) {
            ByteBuffer weights = ByteBuffer.allocate(Float.BYTES * rows.weights().length);
            for (float w : rows.weights()) {
                weights.putFloat(w);
            }
            sha.update(weights.flip());
        }
    }

    private static void ids(MessageDigest sha, List<String> ids) {
        ints(sha, new int[] {ids.size()});
        for (String id : ids) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            ints(sha, new int[] {bytes.length});
            sha.update(bytes);
        }
    }

    private static void ints(MessageDigest sha, int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * (values.length + 1));
        buffer.putInt(values.length);
        for (int v : values) {
            buffer.putInt(v);
        }
        sha.update(buffer.flip());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
