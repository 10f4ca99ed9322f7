package io.mambarec.cli;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.training.Trainer;
import io.mambarec.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code train --data DIR --model NAME --out OUTDIR [--seed N] [--max-epochs N] [--param k=v ...]
 * [--grid k=v1,v2 ...]}: trains one model (or every grid point, choosing by VALIDATION Recall@20),
 * prints one line per epoch, and writes the chosen model and {@code result.json} to OUTDIR.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a model on an MMRec-format folder; write OUTDIR/result.json and the model.")
public final class TrainCommand implements Callable<Integer> {

    static final String RESULT_FILE = "result.json";
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "dataset folder (NAME/NAME.inter, *_feat.npy)")
    Path data;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "NAME",
            description = "model: ${COMPLETION-CANDIDATES}",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--out", required = true, paramLabel = "OUTDIR", description = "where result.json and the model go")
    Path out;

    @Option(names = "--seed", defaultValue = "999", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-epochs", paramLabel = "N", description = "upper bound on epochs (the max_epochs setting)")
    Integer maxEpochs;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "set a hyper-parameter or training setting")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--grid",
            paramLabel = "KEY=V1,V2,...",
            description = "try every combination; choose by validation Recall@20")
    List<String> grid = new ArrayList<>();

    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Models.names().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        ModelDefinition definition = Models.get(model);
        List<Map<String, String>> points = GridSearch.points(grid, params.keySet());
        // resolve every point first: a bad key or value fails before any training
        List<Hyperparameters> resolved = new ArrayList<>();
        for (Map<String, String> point : points) {
            resolved.add(definition.resolve(overrides(point)));
        }
        Dataset dataset = DatasetOption.load(data, stdout);

        List<Map<String, Object>> gridResults = new ArrayList<>();
        Map<String, Object> chosen = null;
        ModelArtifact chosenArtifact = null;
        double chosenScore = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < points.size(); p++) {
            Hyperparameters hp = resolved.get(p);
            if (points.size() > 1) {
                stdout.printf("grid point %d/%d: %s%n", p + 1, points.size(), points.get(p));
            }
            stdout.printf("training %s on %s, seed %d, %s%n", definition.name(), dataset.name(), seed, hp);
            stdout.println(TrainingSettings.of(hp).describeLoop(dataset.train().size()));
            stdout.flush();
            TrainingResult result;
            ModelArtifact artifact;
            try (GracefulStop stop = GracefulStop.install();
                    NDManager manager = NDManager.newBaseManager();
                    RecommenderModel recommender = definition.create(dataset, hp, manager, seed)) {
                result = new Trainer(TrainingSettings.of(hp), seed)
                        .train(
                                recommender,
                                dataset,
                                report -> {
                                    stdout.println(report.progressLine() + ResidentMemory.describe());
                                    stdout.flush();
                                },
                                stop);
                artifact = ModelArtifact.of(recommender, dataset);
            }
            Map<String, Object> summary = summary(definition.name(), dataset.name(), hp, result);
            Map<String, Object> gridEntry = new LinkedHashMap<>(summary);
            gridEntry.put("point", points.get(p));
            gridResults.add(gridEntry);
            double score = result.valid().getOrDefault(RankingMetrics.RECALL_20, 0.0);
            stdout.printf(
                    Locale.ROOT,
                    "best epoch %d of %d: valid Recall@20 %.4f, test Recall@20 %.4f, NDCG@20 %.4f, " + "%.2f s/epoch%n",
                    result.bestEpoch(),
                    result.epochs(),
                    score,
                    result.test().get(RankingMetrics.RECALL_20),
                    result.test().get(RankingMetrics.NDCG_20),
                    result.secondsPerEpoch());
            if (score > chosenScore) {
                chosenScore = score;
                chosen = summary;
                chosenArtifact = artifact;
            }
        }
        if (points.size() > 1) {
            GridSearch.printTable(stdout, gridResults);
            chosen.put("grid", gridResults);
        }
        chosenArtifact.writeTo(out);
        writeJson(out.resolve(RESULT_FILE), chosen);
        stdout.printf("chosen by validation Recall@20: %s%n", chosen.get("params"));
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        rows.put("valid", castMetrics(chosen.get("valid")));
        rows.put("test", castMetrics(chosen.get("test")));
        MetricsTable.print(stdout, rows);
        stdout.printf(
                "wrote %s and the model (%s, %s) to %s%n",
                RESULT_FILE, ModelArtifact.MANIFEST_FILE, ModelArtifact.PARAMETERS_FILE, out);
        stdout.flush();
        return 0;
    }

    private Map<String, String> overrides(Map<String, String> point) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putAll(point);
        if (maxEpochs != null) {
            all.put(TrainingSettings.MAX_EPOCHS, Integer.toString(maxEpochs));
        }
        return all;
    }

    private Map<String, Object> summary(
            String modelName, String datasetName, Hyperparameters hp, TrainingResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", modelName);
        json.put("dataset", datasetName);
        json.put("seed", seed);
        json.put("params", hp.asMap());
        json.put("epochs", result.epochs());
        json.put("bestEpoch", result.bestEpoch());
        json.put("secondsPerEpoch", result.secondsPerEpoch());
        json.put("valid", result.valid());
        json.put("test", result.test());
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> castMetrics(Object metrics) {
        return (Map<String, Double>) metrics;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
