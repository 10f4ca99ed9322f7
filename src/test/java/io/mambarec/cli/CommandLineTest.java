package io.mambarec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.SyntheticData;
import io.mambarec.model.ModelArtifact;
import io.mambarec.runtime.NativeMemory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code train} and {@code evaluate} as a user runs them, in-process. */
class CommandLineTest {

    @TempDir
    static Path tmp;

    static Path data;

    record Run(int exitCode, String out, String err) {}

    @BeforeAll
    static void writeData() {
        data = SyntheticData.writeFolder(tmp, 11);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MambaRecCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainWritesResultAndModelThatEvaluateReproduces() throws Exception {
        Path out = tmp.resolve("bpr-run");
        Run train = run(
                "train",
                "--data",
                data.toString(),
                "--model",
                "bpr",
                "--out",
                out.toString(),
                "--seed",
                "3",
                "--max-epochs",
                "3",
                "--param",
                "learning_rate=0.05",
                "--param",
                "batch_size=512");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("epoch    1  loss", "epoch    3  loss", "valid Recall@20");

        JsonNode result = JsonMapper.builder().build().readTree(Files.readString(out.resolve("result.json")));
        assertThat(fieldNames(result))
                .containsExactly(
                        "model",
                        "dataset",
                        "seed",
                        "params",
                        "epochs",
                        "bestEpoch",
                        "secondsPerEpoch",
                        "valid",
                        "test");
        assertThat(result.get("model").asString()).isEqualTo("bpr");
        assertThat(result.get("dataset").asString()).isEqualTo("synthetic");
        assertThat(result.get("seed").asLong()).isEqualTo(3);
        assertThat(result.get("epochs").asInt()).isEqualTo(3);
        assertThat(result.get("params").get("learning_rate").asDouble()).isEqualTo(0.05);
        assertThat(result.get("params").get("max_epochs").asInt()).isEqualTo(3);
        assertThat(fieldNames(result.get("valid")))
                .hasSize(16)
                .contains("Recall@20", "NDCG@20", "Precision@20", "MAP@20");
        assertThat(fieldNames(result.get("test"))).containsExactlyElementsOf(fieldNames(result.get("valid")));
        assertThat(out.resolve(ModelArtifact.MANIFEST_FILE)).exists();
        assertThat(out.resolve(ModelArtifact.PARAMETERS_FILE)).exists();

        Run evaluate = run("evaluate", "--data", data.toString(), "--model-dir", out.toString());
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        String testRecall = String.format(
                Locale.ROOT, "%.4f", result.get("test").get("Recall@20").asDouble());
        String testLine = evaluate.out()
                .lines()
                .filter(l -> l.startsWith("test"))
                .findFirst()
                .orElseThrow();
        assertThat(testLine).contains(testRecall);
    }

    @Test
    void gridTriesEveryPointAndRecordsThemAll() throws Exception {
        Path out = tmp.resolve("grid-run");
        Run train = run(
                "train",
                "--data",
                data.toString(),
                "--model",
                "lightgcn",
                "--out",
                out.toString(),
                "--max-epochs",
                "1",
                "--grid",
                "layers=1,2",
                "--grid",
                "reg_weight=1e-2,1e-4");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("grid point 4/4", "grid (chosen by validation Recall@20)");
        if (NativeMemory.mallocHeap().isPresent()) { // glibc: what a point freed goes back before the next
            assertThat(train.out()).containsPattern("grid point 3 freed its model: resident [0-9,]+ -> [0-9,]+ MB");
        }
        JsonNode result = JsonMapper.builder().build().readTree(Files.readString(out.resolve("result.json")));
        assertThat(result.get("grid").size()).isEqualTo(4);
        double chosen = result.get("valid").get("Recall@20").asDouble();
        for (JsonNode point : result.get("grid")) {
            assertThat(point.get("valid").get("Recall@20").asDouble()).isLessThanOrEqualTo(chosen);
        }
    }

    @Test
    void badInputGivesOneLineAndNonZeroExit() {
        Map<List<String>, String> cases = Map.of(
                List.of("train", "--data", data.toString(), "--model", "bpr", "--out", "x", "--param", "nope=1"),
                "unknown parameter 'nope'",
                List.of("train", "--data", data.toString(), "--model", "bpr", "--out", "x", "--param", "layers=2"),
                "unknown parameter 'layers'",
                List.of(
                        "train",
                        "--data",
                        data.toString(),
                        "--model",
                        "lightgcn",
                        "--out",
                        "x",
                        "--param",
                        "layers=two"),
                "layers takes int values",
                List.of("train", "--data", data.toString(), "--model", "nomodel", "--out", "x"),
                "unknown model",
                List.of("train", "--data", tmp.resolve("missing").toString(), "--model", "bpr", "--out", "x"),
                "does not exist",
                List.of("train", "--model", "bpr", "--out", "x"),
                "Missing required option: '--data=DIR'",
                List.of("train", "--data", data.toString(), "--model", "bpr", "--out", "x", "--grid", "reg_weight"),
                "--grid takes KEY=V1,V2",
                List.of(
                        "evaluate",
                        "--data",
                        data.toString(),
                        "--model-dir",
                        tmp.resolve("none").toString()),
                "holds no saved model");
        cases.forEach((args, message) -> {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
            assertThat(r.err()).as(String.join(" ", args)).contains(message).doesNotContain("\tat ");
            assertThat(r.err().strip().lines()).hasSize(1);
        });
    }

    @Test
    void parametersOutOfRangeAreRefusedBeforeTraining() {
        Map<String, String> cases = Map.of(
                "learning_rate=-1", "parameter learning_rate must be > 0 and <= 1, not -1",
                "learning_rate=0", "parameter learning_rate must be > 0 and <= 1, not 0",
                "batch_size=0", "parameter batch_size must be between 1 and 1,000,000, not 0",
                "embedding_size=100000", "parameter embedding_size must be between 1 and 1,024, not 100000",
                "layers=9", "parameter layers must be between 0 and 8, not 9",
                "reg_weight=-1", "parameter reg_weight must be >= 0, not -1");
        cases.forEach((param, message) -> {
            Path out = tmp.resolve("refused");
            Run r = run(
                    "train",
                    "--data",
                    data.toString(),
                    "--model",
                    "lightgcn",
                    "--out",
                    out.toString(),
                    "--param",
                    param);
            assertThat(r.exitCode()).as(param).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
            assertThat(r.err()).as(param).contains(message);
            assertThat(r.out()).as(param).doesNotContain("epoch");
            assertThat(out).doesNotExist();
        });
        Run maxEpochs = run("train", "--data", data.toString(), "--model", "bpr", "--out", "x", "--max-epochs", "0");
        assertThat(maxEpochs.exitCode()).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
        assertThat(maxEpochs.err()).contains("max_epochs");
    }

    @Test
    void autoSearchesMambaRecsSettingsAndRecordsEveryPoint() throws Exception {
        Path withFeatures = SyntheticData.writeFolderWithFeatures(tmp.resolve("features"), 11, 8);
        Path out = tmp.resolve("auto-run");
        Run train = run(
                "train",
                "--data",
                withFeatures.toString(),
                "--model",
                "auto",
                "--out",
                out.toString(),
                "--budget-minutes",
                "30",
                "--points",
                "3",
                "--eta",
                "3",
                "--min-epochs",
                "1",
                "--brackets",
                "1",
                "--max-epochs",
                "3",
                "--param",
                "batch_size=512");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out())
                .contains(
                        "search: point 1 (defaults)",
                        "point 2 epoch    1",
                        "chosen by validation",
                        "it beats the popularity ranking on validation");
        if (NativeMemory.mallocHeap().isPresent()) {
            assertThat(train.out())
                    .containsPattern("search: point 2 freed its model: resident [0-9,]+ -> [0-9,]+ MB \\(glibc kept"
                            + " [0-9,]+ MB freed, [0-9,]+ MB in use\\)(, a collection freed [0-9,]+ MB of direct buffers)?,"
                            + " JVM heap [0-9,]+ MB");
        }
        JsonNode result = JsonMapper.builder().build().readTree(Files.readString(out.resolve("result.json")));
        assertThat(result.get("model").asString()).isEqualTo("mambarec");
        assertThat(result.get("params").get("max_epochs").asInt()).isEqualTo(3);
        JsonNode search = result.get("search");
        assertThat(search.get("method").asString()).isEqualTo("hyperband");
        assertThat(search.get("beatsPopularity").asBoolean()).isTrue();
        // one bracket, the hedged schedule's first: 2 points judged after 3 epochs (1 x 3^1)
        assertThat(search.get("points").size()).isEqualTo(2);
        int chosen = search.get("chosenPoint").asInt();
        for (JsonNode point : search.get("points")) {
            assertThat(point.get("validRecall20").asDouble())
                    .isLessThanOrEqualTo(result.get("valid").get("Recall@20").asDouble());
            assertThat(point.get("epochs").asInt()).isBetween(1, 3);
            assertThat(point.get("settings").has("layers")).isTrue();
        }
        JsonNode chosenPoint = search.get("points").get(chosen - 1);
        assertThat(chosenPoint.get("epochs").asInt()).isEqualTo(3);
        assertThat(result.get("params").get("layers").asString())
                .isEqualTo(chosenPoint.get("settings").get("layers").asString());
        assertThat(out.resolve(ModelArtifact.MANIFEST_FILE)).exists();
        assertThat(out.resolve(".search")).doesNotExist();
        Run evaluate = run("evaluate", "--data", withFeatures.toString(), "--model-dir", out.toString());
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
    }

    @Test
    void autoSaysSoWhenNoSettingBeatsPopularity() throws Exception {
        // everybody's held-out items are the catalogue's hits: popularity finds them, an untrained model cannot
        Path dir = tmp.resolve("hits").resolve("hits");
        Files.createDirectories(dir);
        StringBuilder inter = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label\n");
        java.util.Random random = new java.util.Random(5);
        for (int u = 0; u < 60; u++) {
            List<Integer> hits = new java.util.ArrayList<>(
                    java.util.stream.IntStream.range(0, 12).boxed().toList());
            java.util.Collections.shuffle(hits, random);
            for (int k = 0; k < 8; k++) {
                inter.append(u)
                        .append('\t')
                        .append(hits.get(k))
                        .append("\t1\t0\t")
                        .append(k < 6 ? 0 : k == 6 ? 1 : 2)
                        .append('\n');
            }
            inter.append(u).append('\t').append(12 + random.nextInt(88)).append("\t1\t0\t0\n");
        }
        inter.append("0\t99\t1\t0\t0\n"); // the catalogue's last item
        Files.writeString(dir.resolve("hits.inter"), inter);
        float[] features = new float[100 * 16];
        for (int k = 0; k < features.length; k++) {
            features[k] = (float) random.nextGaussian();
        }
        SyntheticData.writeFloat32Npy(dir.resolve("image_feat.npy"), 100, 16, features);
        SyntheticData.writeFloat32Npy(dir.resolve("text_feat.npy"), 100, 16, features);
        Path out = tmp.resolve("hits-run");
        Run train = run(
                "train",
                "--data",
                dir.toString(),
                "--model",
                "auto",
                "--out",
                out.toString(),
                "--points",
                "2",
                "--min-epochs",
                "1",
                "--brackets",
                "1",
                "--max-epochs",
                "1",
                "--param",
                "learning_rate=1e-9");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("NO setting beats the popularity ranking on validation");
        JsonNode result = JsonMapper.builder().build().readTree(Files.readString(out.resolve("result.json")));
        assertThat(result.get("search").get("beatsPopularity").asBoolean()).isFalse();
        assertThat(result.get("search").get("popularValidRecall20").asDouble())
                .isGreaterThan(result.get("valid").get("Recall@20").asDouble());
    }

    @Test
    void autoRefusesAGridAndBadSearchSettings() {
        Map<List<String>, String> cases = Map.of(
                List.of("--grid", "layers=1,2"), "--grid and --model auto exclude each other",
                List.of("--budget-minutes", "0"), "--budget-minutes must be > 0",
                List.of("--eta", "1"), "eta must be between 2 and 100",
                List.of("--param", "cl_weight=-1"), "parameter cl_weight must be >= 0");
        cases.forEach((extra, message) -> {
            List<String> args = new java.util.ArrayList<>(List.of(
                    "train",
                    "--data",
                    data.toString(),
                    "--model",
                    "auto",
                    "--out",
                    tmp.resolve("never").toString()));
            args.addAll(extra);
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", extra)).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
            assertThat(r.err()).as(String.join(" ", extra)).contains(message);
        });
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().toList();
    }
}
