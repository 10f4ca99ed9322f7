package io.mambarec.cli;

import io.mambarec.text.ReferenceVectors;
import io.mambarec.text.TextEncoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the in-process all-MiniLM-L6-v2 text encoder and checks it against published vectors:
 * prints the cosine of every reference line and the texts encoded per second.
 */
@Command(
        name = "text-benchmark",
        mixinStandardHelpOptions = true,
        description = "Checks the all-MiniLM-L6-v2 encoder against reference vectors and times it.")
public final class TextBenchmarkCommand implements Callable<Integer> {

    @Option(
            names = "--reference",
            required = true,
            paramLabel = "FILE",
            description =
                    "JSON lines {\"text\": ..., \"vector\": [384 floats]} (e.g. ../shared/datasets/minilm-reference/reference.jsonl)")
    Path reference;

    @Option(
            names = "--texts",
            defaultValue = "2000",
            paramLabel = "N",
            description = "short texts to time (default: ${DEFAULT-VALUE})")
    int texts;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        List<ReferenceVectors.Line> lines = readLines();
        try (TextEncoder encoder = new TextEncoder(threads)) {
            double worst = 1;
            for (ReferenceVectors.Line line : lines) {
                double cosine = line.cosine(encoder.encode(line.text()));
                worst = Math.min(worst, cosine);
                System.out.printf(
                        "cosine %.6f  %d chars  %s%n",
                        cosine,
                        line.text().length(),
                        line.text().length() > 50 ? line.text().substring(0, 50) + "..." : line.text());
            }
            System.out.printf("reference lines %d, lowest cosine %.6f%n", lines.size(), worst);

            List<String> shortTexts = new ArrayList<>();
            String[] words = {
                "red",
                "running",
                "shoes",
                "leather",
                "wallet",
                "wireless",
                "headphones",
                "organic",
                "coffee",
                "beans",
                "kids",
                "rain",
                "jacket",
                "steel",
                "water",
                "bottle",
                "yoga",
                "mat",
                "desk",
                "lamp"
            };
            for (int k = 0; k < texts; k++) {
                shortTexts.add(words[k % 20] + " " + words[(7 * k + 3) % 20] + " " + words[(13 * k + 5) % 20] + " size "
                        + (k % 12) + ". " + words[(k / 20) % 20] + " for everyday use");
            }
            for (int k = 0; k < 50; k++) {
                encoder.encode(shortTexts.get(k)); // warm-up
            }
            // with one ONNX Runtime thread the model runs on the calling thread: its CPU time is the
            // cost on one core, whatever else the machine runs
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (String text : shortTexts) {
                encoder.encode(text);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf(
                    "short texts (about 10 words) %d in %.2f s wall: %.1f texts/s with %d ONNX Runtime thread(s);"
                            + " load average %.2f on %d cores%n",
                    texts,
                    seconds,
                    texts / seconds,
                    threads,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            if (threads == 1) {
                System.out.printf(
                        "CPU time of the encoding thread %.2f s: %.1f texts per CPU second (one core)%n",
                        cpuSeconds, texts / cpuSeconds);
            }
        }
        return 0;
    }

    private List<ReferenceVectors.Line> readLines() {
        try {
            return ReferenceVectors.read(reference);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + reference + ": " + e.getMessage());
        }
    }
}
