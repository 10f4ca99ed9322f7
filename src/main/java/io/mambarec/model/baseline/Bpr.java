package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.Scalars;

/**
 * Matrix factorisation trained with BPR (Rendle et al., UAI 2009), as the MMRec toolbox's
 * {@code models/bpr.py}: score(u, i) = e_u . e_i; loss = BPRLoss + reg_weight * EmbLoss(e_u, e_i, e_j)
 * on the batch's embeddings; tables initialised with xavier_normal_.
 */
public final class Bpr extends EmbeddingTablesModel {

    Bpr(Hyperparameters params, ModelShape shape, ParameterSet arrays) {
        super(params, shape, arrays);
    }

    @Override
    public String name() {
        return BprDefinition.NAME;
    }

    @Override
    public NDArray trainingLoss(TrainingBatch batch) {
        NDArray u = Rows.of(userEmbedding, batch.users());
        NDArray i = Rows.of(itemEmbedding, batch.positives());
        NDArray j = Rows.of(itemEmbedding, batch.negatives());
        NDArray mf = PairwiseLosses.bpr(PairwiseLosses.rowDot(u, i), PairwiseLosses.rowDot(u, j));
        return mf.add(Scalars.times(PairwiseLosses.embedding(u, i, j), regWeight));
    }

    @Override
    public Embeddings embeddings() {
        return new Embeddings(
                shape.numUsers(), shape.numItems(), dim(), userEmbedding.toFloatArray(), itemEmbedding.toFloatArray());
    }
}
