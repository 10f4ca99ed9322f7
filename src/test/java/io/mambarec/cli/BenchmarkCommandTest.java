package io.mambarec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.SyntheticData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsEpochTimesMemoryAndTheQualityTableOfFinishedRuns() {
        Path data = SyntheticData.writeFolder(tmp, 5);
        CommandLineTest.Run timing = CommandLineTest.run(
                "benchmark",
                "--data",
                data.toString(),
                "--epochs",
                "2",
                "--models",
                "lightgcn",
                "--param",
                "batch_size=512");
        assertThat(timing.exitCode()).as(timing.err()).isZero();
        assertThat(timing.out())
                .contains(
                        "timing lightgcn on synthetic: 2 epochs",
                        "load average",
                        "epoch   1  train",
                        "epoch   2  train",
                        "process CPU",
                        "peak RSS",
                        "lightgcn: ",
                        "s per training epoch (mean of 2)");

        Path run = tmp.resolve("runs").resolve("bpr");
        assertThat(CommandLineTest.run(
                                "train",
                                "--data",
                                data.toString(),
                                "--model",
                                "bpr",
                                "--out",
                                run.toString(),
                                "--max-epochs",
                                "2",
                                "--param",
                                "reg_weight=1e-3")
                        .exitCode())
                .isZero();
        CommandLineTest.Run table = CommandLineTest.run(
                "benchmark", "--results", tmp.resolve("runs").toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        String row =
                table.out().lines().filter(l -> l.startsWith("bpr")).findFirst().orElseThrow();
        // the settings column names what differs from the model's defaults
        assertThat(row).contains("synthetic", "reg_weight=0.001", "max_epochs=2");

        CommandLineTest.Run nothing = CommandLineTest.run("benchmark");
        assertThat(nothing.exitCode()).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
        assertThat(nothing.err()).contains("--data", "--results");
    }

    @Test
    void profilePrintsThePhasesOfTheLoopAndThePyTorchOperatorsByTime() {
        Path data = SyntheticData.writeFolder(tmp, 5);
        Path trace = tmp.resolve("trace.json");
        CommandLineTest.Run profile = CommandLineTest.run(
                "benchmark",
                "--data",
                data.toString(),
                "--models",
                "lightgcn",
                "--param",
                "batch_size=512",
                "--profile",
                "--profile-trace",
                trace.toString());
        assertThat(profile.exitCode()).as(profile.err()).isZero();
        assertThat(profile.out())
                .contains(
                        "3 epochs",
                        "epoch 2 by phase",
                        "epoch 3 (training and evaluation) under" + " PyTorch's profiler");
        double forward = seconds(profile.out(), "  forward ");
        double backward = seconds(profile.out(), "  backward ");
        assertThat(forward).isPositive();
        assertThat(backward).isPositive();
        // operators by name, then by name and input shapes
        assertThat(profile.out()).contains("operator (PyTorch profiler, self time)", "aten::mm", "aten::mm [[");
        assertThat(seconds(profile.out(), "  all operators")).isPositive();
        assertThat(trace).isNotEmptyFile();
    }

    /** The first number after {@code prefix} on the first line that starts with it. */
    private static double seconds(String out, String prefix) {
        String line = out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(prefix.length()).trim().split("\\s+")[0]);
    }
}
