package io.mambarec.cli;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.OpProfile;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingListener;
import io.mambarec.training.TrainingPhases;
import io.mambarec.training.TrainingResult;
import io.mambarec.training.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark --data DIR [--epochs N] [--models a,b] [--param k=v ...] [--results PATH ...]}:
 * trains each model for N epochs and prints the training seconds of every epoch (evaluation
 * excluded, as the authors' figures), the process's resident memory after each epoch and its
 * peak; with {@code --results} it prints the quality table of finished runs (their
 * {@code result.json} files). Figures are printed, never asserted: a loaded machine is slower.
 */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = "Print seconds per training epoch and peak memory of models on a dataset, and/or the "
                + "quality table of finished runs (result.json).")
public final class BenchmarkCommand implements Callable<Integer> {

    /** With --profile: epoch 1 warms up, epoch 2 is timed by phase, epoch 3 runs under PyTorch's profiler. */
    private static final int PHASE_EPOCH = 2;

    private static final int PROFILED_EPOCH = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "dataset folder to time training on")
    Path data;

    @Option(
            names = "--epochs",
            defaultValue = "3",
            paramLabel = "N",
            description = "epochs per model (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--models",
            split = ",",
            defaultValue = "mambarec",
            paramLabel = "NAME,...",
            description = "models to time (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--seed", defaultValue = "999", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "a hyper-parameter for every timed model")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--profile",
            description = "after a warm-up epoch, print the time of each phase of the loop in the"
                    + " second epoch and PyTorch's per-operator self time in the third (forces 3 epochs)")
    boolean profile;

    @Option(
            names = "--profile-trace",
            paramLabel = "FILE",
            defaultValue = "profile-trace.json",
            description = "where --profile writes PyTorch's Chrome trace (default: ${DEFAULT-VALUE})")
    Path profileTrace;

    @Option(
            names = "--results",
            paramLabel = "PATH",
            arity = "1..*",
            description =
                    "result.json files, or folders searched (two levels deep) for them: print their quality table")
    List<Path> results = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (data == null && results.isEmpty()) {
            throw new IllegalArgumentException(
                    "give --data DIR to time training, --results PATH to tabulate runs, or both");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, not " + epochs);
        }
        if (profile) {
            epochs = PROFILED_EPOCH;
        }
        List<ModelDefinition> definitions = models.stream().map(Models::get).toList();
        List<Hyperparameters> resolved = new ArrayList<>();
        for (ModelDefinition definition : definitions) {
            Map<String, String> overrides = new LinkedHashMap<>(params);
            overrides.put(TrainingSettings.MAX_EPOCHS, Integer.toString(epochs));
            overrides.putIfAbsent(TrainingSettings.PATIENCE, Integer.toString(epochs)); // never stop early
            resolved.add(definition.resolve(overrides));
        }
        List<RunResult> rows = readResults();
        if (data != null) {
            Dataset dataset = DatasetOption.load(data, out);
            for (int m = 0; m < definitions.size(); m++) {
                time(out, definitions.get(m), resolved.get(m), dataset);
            }
        }
        if (!rows.isEmpty()) {
            printQuality(out, rows);
        }
        return 0;
    }

    private void time(PrintWriter out, ModelDefinition definition, Hyperparameters hp, Dataset dataset) {
        out.printf(
                Locale.ROOT,
                "timing %s on %s: %d epochs, seed %d, %d processors, load average %.2f, "
                        + "PyTorch intra-op threads %s%n",
                definition.name(),
                dataset.name(),
                epochs,
                seed,
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        out.println(TrainingSettings.of(hp).describeLoop(dataset.train().size()));
        out.flush();
        TrainingResult result;
        TrainingPhases phases = new TrainingPhases();
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun.Trained trained = new TrainingRun(definition, hp, seed)
                        .phases(phases)
                        .listener(new EpochPrinter(out, phases))
                        .train(dataset, manager)) {
            result = trained.result();
        }
        double steady = result.history().stream()
                .skip(result.history().size() > 1 ? 1 : 0)
                .mapToDouble(r -> r.trainSeconds())
                .average()
                .orElse(Double.NaN);
        out.printf(
                Locale.ROOT,
                "%s: %.2f s per training epoch (mean of %d), %.2f s without the first; "
                        + "peak RSS %d MB; load average now %.2f%n",
                definition.name(),
                result.secondsPerEpoch(),
                result.epochs(),
                steady,
                ProcessMemory.peakMegabytes(),
                loadAverage());
        out.printf(
                Locale.ROOT,
                "%s: best epoch %d of %d, valid Recall@20 %.4f, test Recall@20 %.4f, test NDCG@20 %.4f%n",
                definition.name(),
                result.bestEpoch(),
                result.epochs(),
                result.valid().getOrDefault(RankingMetrics.RECALL_20, Double.NaN),
                result.test().getOrDefault(RankingMetrics.RECALL_20, Double.NaN),
                result.test().getOrDefault(RankingMetrics.NDCG_20, Double.NaN));
        out.flush();
    }

    /**
     * Prints each epoch's line: training and evaluation seconds, the process's CPU seconds and minor
     * page faults of the epoch (and of its training part alone), loss, validation Recall@20, memory.
     */
    private final class EpochPrinter implements TrainingListener {

        private final PrintWriter out;
        private final TrainingPhases phases;
        private long cpuMark = ProcessMemory.cpuNanos();
        private long faultMark = ProcessMemory.minorFaults();
        private long trainCpu;
        private long trainFaults;

        EpochPrinter(PrintWriter out, TrainingPhases phases) {
            this.out = out;
            this.phases = phases;
        }

        @Override
        public void onEpochTrained(int epoch) {
            trainCpu = ProcessMemory.cpuNanos() - cpuMark;
            trainFaults = ProcessMemory.minorFaults() - faultMark;
        }

        @Override
        public void onEpoch(EpochReport report) {
            long cpu = ProcessMemory.cpuNanos();
            long faults = ProcessMemory.minorFaults();
            out.printf(
                    Locale.ROOT,
                    "  epoch %3d  train %7.2f s  eval %5.2f s  process CPU %7.2f s (training %6.2f)  page faults %7d"
                            + " (training %7d)  loss %.4f  valid Recall@20 %.4f  RSS %6d MB  peak RSS %6d MB%n",
                    report.epoch(),
                    report.trainSeconds(),
                    report.evalSeconds(),
                    (cpu - cpuMark) / 1e9,
                    trainCpu / 1e9,
                    faults - faultMark,
                    trainFaults,
                    report.meanLoss(),
                    report.validRecall20(),
                    ProcessMemory.residentMegabytes(),
                    ProcessMemory.peakMegabytes());
            cpuMark = cpu;
            faultMark = faults;
            if (profile) {
                profileAfter(out, report, phases);
            }
            out.flush();
        }
    }

    private void profileAfter(PrintWriter out, EpochReport report, TrainingPhases phases) {
        if (report.epoch() == PHASE_EPOCH - 1) {
            phases.reset();
        } else if (report.epoch() == PHASE_EPOCH) {
            printPhases(out, report, phases);
            OpProfile.start();
        } else if (report.epoch() == PROFILED_EPOCH) {
            out.printf(
                    Locale.ROOT,
                    "epoch %d (training and evaluation) under PyTorch's profiler, trace in %s:%n",
                    report.epoch(),
                    profileTrace);
            OpProfile.stop(profileTrace);
            OpProfile.print(
                    out, "operator (PyTorch profiler, self time)", OpProfile.selfTimes(profileTrace, false), 20);
            OpProfile.print(out, "operator [input shapes]", OpProfile.selfTimes(profileTrace, true), 25);
        }
    }

    private static void printPhases(PrintWriter out, EpochReport report, TrainingPhases phases) {
        double epoch = report.trainSeconds() + report.evalSeconds();
        long steps = Math.max(1, phases.count(TrainingPhases.Phase.FORWARD));
        out.printf(
                Locale.ROOT,
                "epoch %d by phase (%d steps, %.2f s training + evaluation, load average %.2f):%n",
                report.epoch(),
                steps,
                epoch,
                loadAverage());
        out.printf(Locale.ROOT, "  %-12s %9s %7s %11s%n", "phase", "seconds", "share", "ms / step");
        double sum = 0;
        for (TrainingPhases.Phase phase : TrainingPhases.Phase.values()) {
            double seconds = phases.seconds(phase);
            sum += seconds;
            out.printf(
                    Locale.ROOT,
                    "  %-12s %9.3f %6.1f%% %11.2f%n",
                    phase.name().toLowerCase(Locale.ROOT),
                    seconds,
                    100 * seconds / epoch,
                    1000 * seconds / steps);
        }
        out.printf(Locale.ROOT, "  %-12s %9.3f %6.1f%%%n", "other", epoch - sum, 100 * (epoch - sum) / epoch);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private List<RunResult> readResults() {
        List<Path> files = new ArrayList<>();
        for (Path path : results) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> found =
                        Files.find(path, 2, (p, a) -> p.getFileName().toString().equals(RunResult.FILE))) {
                    found.sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot search " + path, e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IllegalArgumentException("no result.json at " + path);
            }
        }
        return files.stream().map(RunResult::read).toList();
    }

    /** One row per run: model, the settings that differ from its defaults, epochs, validation and test metrics. */
    private static void printQuality(PrintWriter out, List<RunResult> rows) {
        out.printf(
                Locale.ROOT,
                "%-9s %-8s %-34s %9s %8s %8s %8s %8s %8s %7s%n",
                "model",
                "dataset",
                "settings (non-default)",
                "best/ep",
                "val R@20",
                "test R@10",
                "R@20",
                "N@10",
                "N@20",
                "s/epoch");
        for (RunResult row : rows) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %-8s %-34s %4s/%-4s %8.4f %8.4f %8.4f %8.4f %8.4f %7.2f%n",
                    row.model(),
                    row.dataset(),
                    nonDefault(row.model(), row.params()),
                    row.bestEpoch(),
                    row.epochs(),
                    number(row.valid(), RankingMetrics.RECALL_20),
                    number(row.test(), RankingMetrics.RECALL_10),
                    number(row.test(), RankingMetrics.RECALL_20),
                    number(row.test(), RankingMetrics.NDCG_10),
                    number(row.test(), RankingMetrics.NDCG_20),
                    row.secondsPerEpoch());
        }
        out.flush();
    }

    private static double number(Map<String, Double> metrics, String key) {
        Double value = metrics == null ? null : metrics.get(key);
        return value == null ? Double.NaN : value;
    }

    private static String nonDefault(String model, Map<String, Object> params) {
        if (params == null || !Models.names().contains(model)) {
            return "";
        }
        List<String> differing = new ArrayList<>();
        for (ParamSpec spec : Models.get(model).params()) {
            Object value = params.get(spec.key());
            if (value != null
                    && !String.valueOf(spec.parse(String.valueOf(value))).equals(String.valueOf(spec.defaultValue()))) {
                differing.add(spec.key() + "=" + value);
            }
        }
        return differing.isEmpty() ? "defaults" : String.join(" ", differing);
    }

    /** The process's resident memory from /proc/self/status (Linux; -1 elsewhere) and its CPU time. */
    static final class ProcessMemory {

        private ProcessMemory() {}

        /** CPU time of the whole process (all threads, PyTorch's included), or 0 where the JVM cannot tell. */
        static long cpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime()
                    : 0;
        }

        /**
         * Minor page faults of the process so far (/proc/self/stat; 0 elsewhere): memory the kernel
         * had to map in, which on a virtual machine costs microseconds per 4 KiB page. Unlike CPU
         * seconds it hardly depends on the machine's load, so it compares code versions on a busy
         * machine.
         */
        static long minorFaults() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                // fields after the command name (which may hold spaces): state is field 3, minflt field 10
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[10 - 3]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        static long residentMegabytes() {
            return statusKilobytes("VmRSS:") / 1024;
        }

        static long peakMegabytes() {
            return statusKilobytes("VmHWM:") / 1024;
        }

        private static long statusKilobytes(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(
                                line.substring(field.length()).replace("kB", "").trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1024;
            }
            return -1024;
        }
    }
}
