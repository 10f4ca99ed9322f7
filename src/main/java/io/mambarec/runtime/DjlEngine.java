package io.mambarec.runtime;

import ai.djl.engine.Engine;
import io.mambarec.config.MambaRecProperties;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads the PyTorch engine once at start-up, before any component makes a JNI call, with explicit
 * thread counts: {@code mambarec.training.threads} intra-op threads (default: the CPUs this process
 * may use, which the JVM reads from the container's limits) and one inter-op thread. A
 * {@code -Dai.djl.pytorch.num_threads} given on the command line wins. The start-up line of
 * {@code runtime.RuntimeStartupLog} and {@code /actuator/info} then tell engine, device and threads.
 */
@Component
public class DjlEngine {

    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";
    private static final Logger log = LoggerFactory.getLogger(DjlEngine.class);

    private final int threads;

    public DjlEngine(MambaRecProperties properties) {
        int threads = properties.training().threads();
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    @PostConstruct
    void load() {
        DjlEnvironment.configureOffline();
        NativeMemory.enableHugePages();
        if (System.getProperty(INTRA_OP) == null) {
            System.setProperty(INTRA_OP, Integer.toString(threads));
        }
        if (System.getProperty(INTER_OP) == null) {
            System.setProperty(INTER_OP, "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        log.debug("engine {} {} on {} loaded", engine.getEngineName(), engine.getVersion(), engine.defaultDevice());
    }

    /** PyTorch's intra-op threads for training: {@code mambarec.training.threads}, or every available CPU. */
    public int threads() {
        return threads;
    }
}
