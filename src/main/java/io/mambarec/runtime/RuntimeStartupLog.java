package io.mambarec.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One start-up line with the build, role, device and threads ({@link RuntimeDescription}). */
@Component
class RuntimeStartupLog {

    private static final Logger log = LoggerFactory.getLogger(RuntimeStartupLog.class);
    private final RuntimeDescription runtime;

    RuntimeStartupLog(RuntimeDescription runtime) {
        this.runtime = runtime;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        log.info("MambaRec ready: {}", runtime.describe());
    }
}
