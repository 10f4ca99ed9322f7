package io.mambarec.model.mambarec;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.TrainingSettings;

/**
 * The resolved settings of one MambaRec-family network. MGCN is the same network with MambaRec's
 * additions switched off (no visual reduction, no DREAM, no LayerNorm/Dropout, no MMD).
 *
 * @param dim embedding size d
 * @param userItemLayers propagation layers of the user-item view
 * @param itemItemLayers propagation layers of the item-item view
 * @param knnK neighbours kept per item in each item-item graph (the item itself included)
 * @param regWeight weight of the embedding regulariser in BPR
 * @param contrastive InfoNCE between the fused side view and the user-item view
 * @param clWeight weight of InfoNCE
 * @param clTemperature InfoNCE temperature
 * @param dream DREAM on each modality's projected features
 * @param layerNormDropout shared LayerNorm and Dropout on the modality features
 * @param dropout dropout rate
 * @param mmd MMD between the first two modality slots
 * @param mmdWeight weight of MMD
 * @param mmdBandwidth Gaussian kernel bandwidth sigma of MMD
 * @param reduction visual reduction factor: slot 0 is projected D -> D/reduction -> d; 0 projects D -> d
 * @param batchSize the training batch size B of the BPR regulariser
 */
public record MambaRecConfig(
        int dim,
        int userItemLayers,
        int itemItemLayers,
        int knnK,
        double regWeight,
        boolean contrastive,
        double clWeight,
        double clTemperature,
        boolean dream,
        boolean layerNormDropout,
        double dropout,
        boolean mmd,
        double mmdWeight,
        double mmdBandwidth,
        int reduction,
        int batchSize) {

    public MambaRecConfig {
        if (dim < 1 || userItemLayers < 0 || itemItemLayers < 0 || knnK < 1 || reduction < 0 || batchSize < 1) {
            throw new IllegalArgumentException("embedding_size, knn_k and batch_size must be positive; layers, "
                    + "item_layers and reduction not negative");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
        }
    }

    /** MambaRec: every key of {@link MambaRecDefinition#params()}. */
    public static MambaRecConfig mambaRec(Hyperparameters p) {
        return new MambaRecConfig(
                p.getInt(Keys.EMBEDDING_SIZE),
                p.getInt(Keys.LAYERS),
                p.getInt(Keys.ITEM_LAYERS),
                p.getInt(Keys.KNN_K),
                p.getDouble(Keys.REG_WEIGHT),
                p.getBoolean(Keys.CL),
                p.getDouble(Keys.CL_WEIGHT),
                p.getDouble(Keys.CL_TEMPERATURE),
                p.getBoolean(Keys.DREAM),
                p.getBoolean(Keys.LAYER_NORM),
                p.getDouble(Keys.DROPOUT),
                p.getBoolean(Keys.MMD),
                p.getDouble(Keys.MMD_WEIGHT),
                p.getDouble(Keys.MMD_BANDWIDTH),
                p.getInt(Keys.REDUCTION),
                p.getInt(TrainingSettings.BATCH_SIZE));
    }

    /** MGCN (the MMRec toolbox's): the shared keys; MambaRec's additions off. */
    public static MambaRecConfig mgcn(Hyperparameters p) {
        return new MambaRecConfig(
                p.getInt(Keys.EMBEDDING_SIZE),
                p.getInt(Keys.LAYERS),
                p.getInt(Keys.ITEM_LAYERS),
                p.getInt(Keys.KNN_K),
                p.getDouble(Keys.REG_WEIGHT),
                p.getBoolean(Keys.CL),
                p.getDouble(Keys.CL_WEIGHT),
                p.getDouble(Keys.CL_TEMPERATURE),
                false,
                false,
                0,
                false,
                0,
                1,
                0,
                p.getInt(TrainingSettings.BATCH_SIZE));
    }

    /** The {@code --param} keys of mambarec and mgcn. */
    public static final class Keys {
        public static final String EMBEDDING_SIZE = "embedding_size";
        public static final String LAYERS = "layers";
        public static final String ITEM_LAYERS = "item_layers";
        public static final String KNN_K = "knn_k";
        public static final String REG_WEIGHT = "reg_weight";
        public static final String CL = "cl";
        public static final String CL_WEIGHT = "cl_weight";
        public static final String CL_TEMPERATURE = "cl_temperature";
        public static final String DREAM = "dream";
        public static final String LAYER_NORM = "layer_norm";
        public static final String DROPOUT = "dropout";
        public static final String MMD = "mmd";
        public static final String MMD_WEIGHT = "mmd_weight";
        public static final String MMD_BANDWIDTH = "mmd_bandwidth";
        public static final String REDUCTION = "reduction";

        private Keys() {}
    }
}
