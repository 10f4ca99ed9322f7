package io.mambarec.cli;

import io.mambarec.data.Dataset;
import io.mambarec.data.MmrecFolderReader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads and describes the {@code --data} folder. */
final class DatasetOption {

    private DatasetOption() {}

    static Dataset load(Path dir, PrintWriter out) {
        Dataset data = MmrecFolderReader.read(dir);
        out.printf(
                "dataset %s: %d users, %d items, train %d, valid %d, test %d, modalities %s%n",
                data.name(),
                data.numUsers(),
                data.numItems(),
                data.train().size(),
                data.valid().size(),
                data.test().size(),
                data.features().isEmpty()
                        ? "none"
                        : String.join(", ", data.features().keySet()));
        out.flush();
        return data;
    }
}
