package io.mambarec.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import io.mambarec.config.MambaRecProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/**
 * What this process is and runs on: build version and commit, role, the device the engine picked
 * (cpu or gpu, with PyTorch's flavour and version, where libtorch was loaded from) and the thread
 * counts. Logged once at start-up ({@link RuntimeStartupLog}) and shown in {@code /actuator/info}.
 */
@Component
public class RuntimeDescription {

    private final BuildProperties build;
    private final GitProperties git;
    private final String role;
    private final String replica;
    private final DjlEngine djl;

    public RuntimeDescription(
            ObjectProvider<BuildProperties> build,
            ObjectProvider<GitProperties> git,
            MambaRecProperties properties,
            DjlEngine djl) {
        this.build = build.getIfAvailable();
        this.git = git.getIfAvailable();
        this.role = properties.role().trim().toLowerCase(Locale.ROOT);
        this.replica = properties.replicaId();
        this.djl = djl;
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", build != null ? build.getVersion() : "development");
        out.put("commit", git != null && git.getShortCommitId() != null ? git.getShortCommitId() : "unknown");
        out.put("role", role);
        if (!replica.isBlank()) {
            out.put("replica", replica);
        }
        out.put("engine", engine());
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("cpus", Runtime.getRuntime().availableProcessors());
        threads.put("training", djl.threads());
        out.put("threads", threads);
        return out;
    }

    private static Map<String, Object> engine() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Engine engine = Engine.getEngine("PyTorch");
            Device device = engine.defaultDevice();
            out.put("name", engine.getEngineName());
            out.put("djl", Engine.getDjlVersion());
            out.put("pytorch", engine.getVersion());
            out.put("device", device.isGpu() ? "gpu" : "cpu");
            out.put("deviceName", device.toString());
            out.put("gpus", engine.getGpuCount());
            out.put("flavor", System.getenv().getOrDefault("PYTORCH_FLAVOR", device.isGpu() ? "cuda" : "cpu"));
            out.put("libtorch", LibUtils.getLibtorchPath());
            out.put("intraOpThreads", JniUtils.getNumThreads());
            out.put("interOpThreads", JniUtils.getNumInteropThreads());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            out.put("error", "engine not available: " + e.getMessage());
        }
        return out;
    }
}
