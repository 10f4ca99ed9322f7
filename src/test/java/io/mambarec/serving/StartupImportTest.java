package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.SyntheticData;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The start-up import into an empty database: the synthetic demo, or an MMRec folder. */
@PostgresSpringBootTest
class StartupImportTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    CatalogueStore store;

    @Autowired
    CatalogueCache catalogue;

    @Autowired
    PopularItems popular;

    @Autowired
    SeenItems seenItems;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    Recommender recommender;

    JdbcTemplate jdbc;

    @BeforeEach
    void emptyDatabase() {
        PostgresTestDatabase.truncateAll(dataSource);
        activeModel.activate(null);
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void withNothingConfiguredAnEmptyDatabaseGetsTheLabelledSyntheticDemo() {
        bootstrap("", true).run(null);
        assertThat(count("item")).isEqualTo(SyntheticDemoDataset.ITEMS);
        assertThat(count("app_user")).isEqualTo(SyntheticDemoDataset.USERS);
        assertThat(jdbc.queryForList("SELECT name FROM modality ORDER BY slot", String.class))
                .containsExactly("image", "text");
        assertThat(jdbc.queryForObject("SELECT synthetic FROM catalogue_source", Boolean.class))
                .isTrue();
        assertThat(jdbc.queryForObject("SELECT origin FROM catalogue_source", String.class))
                .contains("SYNTHETIC");
        assertThat(jdbc.queryForList("SELECT DISTINCT split FROM interaction ORDER BY split", Integer.class))
                .containsExactly(0, 1, 2);
        // deterministic: the same data on every machine
        assertThat(jdbc.queryForObject("SELECT sum(x.user_id * x.item_id) FROM interaction x", Long.class))
                .isEqualTo(expectedChecksum());
        // in memory at once, and the popular fallback answers before any model
        assertThat(activeModel.state().catalogue().size()).isEqualTo(SyntheticDemoDataset.ITEMS);
        var answer = recommender.recommend("demo-user-0001", 10);
        assertThat(answer.strategy()).isEqualTo("popular");
        assertThat(answer.items()).hasSize(10);

        // a second start finds the catalogue filled and imports nothing
        bootstrap("", true).run(null);
        assertThat(count("item")).isEqualTo(SyntheticDemoDataset.ITEMS);
    }

    @Test
    void aConfiguredMmrecFolderIsImportedWithStringIdsAndItsSplits(@TempDir Path tmp) {
        Path folder = SyntheticData.writeFolder(tmp, 7);
        bootstrap(folder.toString(), true).run(null);
        assertThat(count("item")).isEqualTo(SyntheticData.ITEMS);
        assertThat(jdbc.queryForObject("SELECT synthetic FROM catalogue_source", Boolean.class))
                .isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE external_id = '0'", Long.class))
                .isEqualTo(1);
        var rows = SyntheticData.rows(7);
        for (int label = 0; label <= 2; label++) {
            final int l = label;
            assertThat(jdbc.queryForObject("SELECT count(*) FROM interaction WHERE split = ?", Long.class, label))
                    .isEqualTo(rows.stream().filter(r -> r[2] == l).count());
        }
        // one stored row: user "0" interacted with the item of the file's first row for that user
        int[] first = rows.stream().filter(r -> r[0] == 0).findFirst().orElseThrow();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM interaction x JOIN app_user u ON u.id = x.user_id"
                                + " JOIN item i ON i.id = x.item_id WHERE u.external_id = '0' AND i.external_id = ?",
                        Long.class,
                        Integer.toString(first[1])))
                .isPositive();
    }

    @Test
    void withTheDemoSwitchedOffAnEmptyDatabaseStaysEmpty() {
        bootstrap("", false).run(null);
        assertThat(count("item")).isZero();
        assertThat(recommender.recommend("anyone", 5).items()).isEmpty();
    }

    private StartupImport bootstrap(String dataset, boolean demo) {
        return new StartupImport(store, catalogue, popular, seenItems, dataset, demo);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    /** The same checksum computed from the generator itself. */
    private static long expectedChecksum() {
        var demo = SyntheticDemoDataset.generate();
        long sum = 0;
        for (var split : new io.mambarec.data.Interactions[] {demo.train(), demo.valid(), demo.test()}) {
            for (int k = 0; k < split.size(); k++) {
                // surrogate ids follow import order from 1: index + 1
                sum += (long) (split.users()[k] + 1) * (split.items()[k] + 1);
            }
        }
        return sum;
    }
}
