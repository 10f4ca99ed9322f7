package io.mambarec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several runs of one model with the same settings and different seeds, scored together:
 * score(u, i) = sum over members of z_u . z_i, which is the inner product of the members'
 * embeddings concatenated ({@link #embeddings}), so serving, evaluation and the quality gate use it
 * as any other model. Averaging seeds removes much of one run's seed noise (on TikTok, single
 * MambaRec runs with the paper's settings end anywhere between 0.102 and 0.110 test Recall@20;
 * docs/results.md). Not in the paper: {@code auto} builds one from the setting it chose by
 * validation when its budget allows ({@link io.mambarec.tuning.AutoTuner}).
 *
 * <p>It is trained member by member, never as a whole: {@link #trainingLoss} and
 * {@link #trainableParameters} are not supported. Its {@link #state} is the members' states one
 * after another (each member of one definition and settings has as many arrays); a manifest's
 * {@code memberSeeds} says how many.
 */
public final class SeedEnsemble implements RecommenderModel {

    private final List<RecommenderModel> members;
    private final List<Long> seeds;

    /**
     * Takes ownership of {@code members} (closed with it): at least one, all of one model, settings
     * and shape, trained with {@code seeds} (one each).
     */
    public SeedEnsemble(List<RecommenderModel> members, List<Long> seeds) {
        if (members.isEmpty() || members.size() != seeds.size()) {
            throw new IllegalArgumentException("an ensemble needs at least one member and a seed for each");
        }
        RecommenderModel first = members.get(0);
        for (RecommenderModel m : members) {
            if (!m.name().equals(first.name())
                    || !m.hyperparameters()
                            .asMap()
                            .equals(first.hyperparameters().asMap())
                    || !m.shape().equals(first.shape())) {
                throw new IllegalArgumentException("the members of an ensemble must be one model with one setting");
            }
        }
        this.members = List.copyOf(members);
        this.seeds = List.copyOf(seeds);
    }

    /** The seed each member was trained with, in member order. */
    public List<Long> seeds() {
        return seeds;
    }

    public List<RecommenderModel> members() {
        return members;
    }

    @Override
    public String name() {
        return members.get(0).name();
    }

    @Override
    public Hyperparameters hyperparameters() {
        return members.get(0).hyperparameters();
    }

    @Override
    public ModelShape shape() {
        return members.get(0).shape();
    }

    @Override
    public NDArray trainingLoss(TrainingBatch batch) {
        throw new UnsupportedOperationException("a seed ensemble is trained member by member");
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        throw new UnsupportedOperationException("a seed ensemble is trained member by member");
    }

    @Override
    public Embeddings embeddings() {
        List<Embeddings> each = new ArrayList<>(members.size());
        for (RecommenderModel m : members) {
            each.add(m.embeddings());
        }
        return concatenate(each);
    }

    /** Row-wise concatenation: the inner product of the result is the sum of the members' inner products. */
    public static Embeddings concatenate(List<Embeddings> each) {
        Embeddings first = each.get(0);
        int dim = 0;
        for (Embeddings e : each) {
            if (e.numUsers() != first.numUsers() || e.numItems() != first.numItems()) {
                throw new IllegalArgumentException("members disagree on the number of users or items");
            }
            dim += e.dim();
        }
        float[] users = new float[Math.multiplyExact(first.numUsers(), dim)];
        float[] items = new float[Math.multiplyExact(first.numItems(), dim)];
        int offset = 0;
        for (Embeddings e : each) {
            copyColumns(e.users(), e.numUsers(), e.dim(), users, dim, offset);
            copyColumns(e.items(), e.numItems(), e.dim(), items, dim, offset);
            offset += e.dim();
        }
        return new Embeddings(first.numUsers(), first.numItems(), dim, users, items);
    }

    private static void copyColumns(float[] from, int rows, int fromDim, float[] to, int toDim, int offset) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(from, r * fromDim, to, r * toDim + offset, fromDim);
        }
    }

    @Override
    public NDList state() {
        NDList all = new NDList();
        for (RecommenderModel m : members) {
            all.addAll(m.state());
        }
        return all;
    }

    @Override
    public void loadState(NDList state) {
        List<NDList> parts = split(state, members.size());
        for (int k = 0; k < members.size(); k++) {
            members.get(k).loadState(parts.get(k));
        }
    }

    /** Splits a {@link #state} of {@code count} members into theirs. */
    public static List<NDList> split(NDList state, int count) {
        if (count < 1 || state.size() % count != 0) {
            throw new IllegalArgumentException(
                    "a state of " + state.size() + " arrays cannot hold " + count + " members of one model");
        }
        int each = state.size() / count;
        List<NDList> parts = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            parts.add(new NDList(state.subList(k * each, (k + 1) * each)));
        }
        return parts;
    }

    @Override
    public void close() {
        members.forEach(RecommenderModel::close);
    }
}
