package io.mambarec.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mambarec.model.Hyperparameters;
import io.mambarec.training.TrainingResult;
import io.mambarec.tuning.SearchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The content of {@code result.json}: the model a {@code train} run chose, its settings and what it
 * measured, with the grid or the search that chose it. Written by {@code train}, read by
 * {@code benchmark --results}.
 *
 * @param epochs epochs trained
 * @param bestEpoch 1-based epoch of the best validation Recall@20, whose parameters the model holds
 * @param secondsPerEpoch mean training seconds per epoch, evaluation excluded
 * @param valid validation metrics at the best epoch
 * @param test test metrics at the best epoch
 * @param grid every grid point ({@code --grid}), else null
 * @param search the search ({@code --model auto}), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunResult(
        String model,
        String dataset,
        long seed,
        Map<String, Object> params,
        int epochs,
        int bestEpoch,
        double secondsPerEpoch,
        Map<String, Double> valid,
        Map<String, Double> test,
        List<GridPoint> grid,
        SearchReport search) {

    static final String FILE = "result.json";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One point of a grid: its values and what it measured. */
    record GridPoint(
            Map<String, String> point,
            Map<String, Object> params,
            int epochs,
            int bestEpoch,
            double secondsPerEpoch,
            Map<String, Double> valid,
            Map<String, Double> test) {}

    static RunResult of(String model, String dataset, long seed, Hyperparameters params, TrainingResult result) {
        return new RunResult(
                model,
                dataset,
                seed,
                params.asMap(),
                result.epochs(),
                result.bestEpoch(),
                result.secondsPerEpoch(),
                result.valid(),
                result.test(),
                null,
                null);
    }

    GridPoint asGridPoint(Map<String, String> point) {
        return new GridPoint(point, params, epochs, bestEpoch, secondsPerEpoch, valid, test);
    }

    RunResult withGrid(List<GridPoint> points) {
        return new RunResult(
                model, dataset, seed, params, epochs, bestEpoch, secondsPerEpoch, valid, test, points, search);
    }

    RunResult withSearch(SearchReport report) {
        return new RunResult(
                model, dataset, seed, params, epochs, bestEpoch, secondsPerEpoch, valid, test, grid, report);
    }

    void writeTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static RunResult read(Path file) {
        try {
            return JSON.readValue(Files.readAllBytes(file), RunResult.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
