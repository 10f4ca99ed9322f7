package io.mambarec.runtime;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PyTorch's own profiler (through DJL's {@code JniUtils.startProfile}) around a stretch of work,
 * summarised as self time per operator: the time inside an operator minus the time of the
 * operators it called (for example {@code aten::linear} minus its {@code aten::addmm}).
 */
public final class OpProfile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One operator's totals: calls and self time in microseconds. */
    public record OpTime(String name, long calls, double selfMicros) {}

    private OpProfile() {}

    public static void start() {
        JniUtils.startProfile(false, true, false); // CPU, with input shapes, without memory
    }

    /** Stops the profiler and writes its Chrome trace to {@code trace}. */
    public static void stop(Path trace) {
        JniUtils.stopProfile(trace.toAbsolutePath().toString());
    }

    /** Self time per operator name, or with {@code withShapes} per operator name and input shapes. */
    public static List<OpTime> selfTimes(Path trace, boolean withShapes) {
        JsonNode events;
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(trace));
            // LibTorch's legacy profiler writes a bare array of events, Kineto an object with traceEvents
            events = root.isArray() ? root : root.path("traceEvents");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profiler's trace " + trace, e);
        }
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        Map<String, Integer> nameIds = new HashMap<>();
        for (JsonNode event : events) {
            if (!"X".equals(event.path("ph").asString("")) || !event.has("dur")) {
                continue;
            }
            String name = event.path("name").asString("");
            if (withShapes && event.has("shape")) {
                name = name + " " + event.get("shape");
            }
            int id = nameIds.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
            byThread.computeIfAbsent(
                            event.path("pid").asString("") + "/"
                                    + event.path("tid").asString(""),
                            t -> new ArrayList<>())
                    .add(new double[] {
                        event.path("ts").asDouble(), event.path("dur").asDouble(), id
                    });
        }
        double[] self = new double[names.size()];
        long[] calls = new long[names.size()];
        for (List<double[]> thread : byThread.values()) {
            // parents start first; at the same start the longer one is the parent
            thread.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparing(e -> -e[1]));
            Deque<double[]> open = new ArrayDeque<>();
            for (double[] event : thread) {
                while (!open.isEmpty() && open.peek()[0] + open.peek()[1] <= event[0]) {
                    open.pop();
                }
                int id = (int) event[2];
                self[id] += event[1];
                calls[id]++;
                if (!open.isEmpty()) {
                    self[(int) open.peek()[2]] -= event[1];
                }
                open.push(event);
            }
        }
        List<OpTime> ops = new ArrayList<>();
        for (int id = 0; id < names.size(); id++) {
            ops.add(new OpTime(names.get(id), calls[id], self[id]));
        }
        ops.sort(Comparator.comparingDouble(OpTime::selfMicros).reversed());
        return ops;
    }

    /** The {@code top} operators by self time, with their share of all operators' time. */
    public static void print(PrintWriter out, String heading, List<OpTime> ops, int top) {
        double total = ops.stream().mapToDouble(OpTime::selfMicros).sum();
        out.printf(Locale.ROOT, "  %-60s %8s %10s %6s%n", heading, "calls", "seconds", "share");
        for (OpTime op : ops.subList(0, Math.min(top, ops.size()))) {
            out.printf(
                    Locale.ROOT,
                    "  %-60s %8d %10.3f %5.1f%%%n",
                    op.name(),
                    op.calls(),
                    op.selfMicros() / 1e6,
                    100 * op.selfMicros() / total);
        }
        out.printf(Locale.ROOT, "  %-60s %8s %10.3f%n", "all operators", "", total / 1e6);
    }
}
