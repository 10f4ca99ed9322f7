package io.mambarec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.SyntheticData;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A model folder written by {@code train} carries its provenance; {@code evaluate} refuses a format it does not know. */
class ModelFormatCommandLineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void evaluateShowsTheProvenanceAndRefusesANewerFormatInOneLine(@TempDir Path tmp) throws Exception {
        Path data = SyntheticData.writeFolder(tmp, 4);
        Path out = tmp.resolve("run");
        CommandLineTest.Run train = CommandLineTest.run(
                "train",
                "--data",
                data.toString(),
                "--model",
                "bpr",
                "--out",
                out.toString(),
                "--seed",
                "5",
                "--max-epochs",
                "1");
        assertThat(train.exitCode()).as(train.err()).isZero();
        ObjectNode manifest = (ObjectNode) JSON.readTree(Files.readAllBytes(out.resolve(ModelArtifact.MANIFEST_FILE)));
        assertThat(manifest.path("formatVersion").asInt()).isEqualTo(ModelManifest.SINGLE_MODEL_FORMAT);
        assertThat(manifest.path("provenance").path("seed").asLong()).isEqualTo(5);

        CommandLineTest.Run evaluate =
                CommandLineTest.run("evaluate", "--data", data.toString(), "--model-dir", out.toString());
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("seed 5, code ");

        manifest.put("formatVersion", ModelManifest.FORMAT_VERSION + 1);
        Files.write(out.resolve(ModelArtifact.MANIFEST_FILE), JSON.writeValueAsBytes(manifest));
        CommandLineTest.Run refused =
                CommandLineTest.run("evaluate", "--data", data.toString(), "--model-dir", out.toString());
        assertThat(refused.exitCode()).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
        assertThat(refused.err().strip())
                .isEqualTo("error: the model's format version is " + (ModelManifest.FORMAT_VERSION + 1)
                        + "; this build reads format versions 1 to " + ModelManifest.FORMAT_VERSION
                        + " (a model saved by a newer release needs that release)");
    }
}
