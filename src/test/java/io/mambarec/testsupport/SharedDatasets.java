package io.mambarec.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real datasets in {@code ../shared/datasets} (beside the checkout, or beside its parent for a
 * checkout one level deeper). A test on them is skipped only where that folder does not exist at
 * all; where it exists, the dataset must be there and readable, or the test fails.
 */
public final class SharedDatasets {

    static final List<Path> ROOTS =
            List.of(Path.of("..", "shared", "datasets"), Path.of("..", "..", "shared", "datasets"));

    private SharedDatasets() {}

    /** The dataset folder {@code name}; skips the test without a datasets folder, fails with a broken one. */
    public static Path require(String name) {
        return require(ROOTS, name);
    }

    static Path require(List<Path> roots, String name) {
        // notExists is false also when existence cannot be determined: such a folder fails, it is not skipped
        Path root = roots.stream().filter(r -> !Files.notExists(r)).findFirst().orElse(null);
        Assumptions.assumeTrue(
                root != null,
                () -> "no shared datasets folder ("
                        + roots.stream()
                                .map(r -> r.toAbsolutePath().normalize())
                                .toList() + ")");
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return fail(dir.toAbsolutePath().normalize() + " is not a readable folder, though " + root + " exists");
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                return fail(dir.toAbsolutePath().normalize() + " is empty");
            }
        } catch (IOException e) {
            return fail("cannot list " + dir.toAbsolutePath().normalize(), e);
        }
        return dir;
    }
}
