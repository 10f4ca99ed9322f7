package io.mambarec.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.RecommenderModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With mmrec_rng (the baselines' default) the initial tables are the toolbox's for the seed:
 * values printed by PyTorch 1.13 after torch.manual_seed(999) for 5 users and 7 items, d = 64.
 * LightGCN: xavier_uniform_(empty(5, 64)), then (7, 64). BPR: nn.Embedding(5, 64),
 * nn.Embedding(7, 64), then xavier_normal_ on each weight.
 */
class ToolboxInitialisationTest {

    private static final Dataset FIVE_USERS_SEVEN_ITEMS = new Dataset(
            "toy",
            List.of("0", "1", "2", "3", "4"),
            List.of("0", "1", "2", "3", "4", "5", "6"),
            new Interactions(new int[] {0, 1, 2, 3, 4}, new int[] {0, 1, 2, 3, 6}),
            Interactions.empty(),
            Interactions.empty(),
            Map.of());

    @Test
    void lightGcnTablesAreTheToolboxs() {
        float[][] tables = initialTables(new LightGcnDefinition());
        assertThat(tables[0][0]).isCloseTo(0.10472977161407471f, within(1e-7f));
        assertThat(tables[0][1]).isCloseTo(0.09029163420200348f, within(1e-7f));
        assertThat(tables[1][6 * 64 + 62]).isCloseTo(-0.17821593582630157f, within(1e-7f));
        assertThat(tables[1][6 * 64 + 63]).isCloseTo(-0.20938758552074432f, within(1e-7f));
    }

    @Test
    void bprTablesAreTheToolboxs() {
        float[][] tables = initialTables(new BprDefinition());
        assertThat(tables[0][0]).isCloseTo(-0.08190784603357315f, within(1e-6f));
        assertThat(tables[0][1]).isCloseTo(-0.10188614577054977f, within(1e-6f));
        assertThat(tables[1][6 * 64 + 62]).isCloseTo(0.14759846031665802f, within(1e-6f));
        assertThat(tables[1][6 * 64 + 63]).isCloseTo(-0.18647390604019165f, within(1e-6f));
    }

    private static float[][] initialTables(ModelDefinition definition) {
        Hyperparameters defaults = Hyperparameters.resolve(definition.params(), Map.of());
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = definition.create(FIVE_USERS_SEVEN_ITEMS, defaults, manager, 999)) {
            NDList state = model.state();
            return new float[][] {state.get(0).toFloatArray(), state.get(1).toFloatArray()};
        }
    }
}
