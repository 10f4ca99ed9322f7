package io.mambarec.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** Real-data tests skip only without any datasets folder; a broken one fails them. */
class SharedDatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void withoutADatasetsFolderTheTestIsSkipped() {
        assertThatThrownBy(() -> SharedDatasets.require(List.of(tmp.resolve("none")), "tiktok"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aDatasetsFolderWithoutTheDatasetFailsTheTest() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("datasets"));
        assertThatThrownBy(() -> SharedDatasets.require(List.of(root), "tiktok"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("tiktok is not a readable folder");
        Files.writeString(root.resolve("baby"), "not a folder");
        assertThatThrownBy(() -> SharedDatasets.require(List.of(root), "baby")).isInstanceOf(AssertionError.class);
        Files.createDirectories(root.resolve("empty"));
        assertThatThrownBy(() -> SharedDatasets.require(List.of(root), "empty"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void aReadableDatasetIsFoundInTheFirstFolderThatExists() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("datasets/tiktok")).getParent();
        Files.writeString(root.resolve("tiktok/tiktok.inter"), "userID\titemID\n");
        assertThat(SharedDatasets.require(List.of(tmp.resolve("none"), root), "tiktok"))
                .isEqualTo(root.resolve("tiktok"));
    }
}
