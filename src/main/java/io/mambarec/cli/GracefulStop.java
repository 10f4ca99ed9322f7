package io.mambarec.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * SIGTERM (or Ctrl-C) during an offline training run: the JVM's shutdown would otherwise unload
 * libtorch under the training thread, which then dies in native code (a SIGSEGV). A shutdown hook
 * asks the run to stop at its next batch ({@link #getAsBoolean()}, the trainer's cancel check) and
 * waits, at most {@link #PATIENCE}, until the command has left the training code ({@link #close()}).
 */
final class GracefulStop implements BooleanSupplier, AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final CountDownLatch left = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stop, "graceful-stop");
    private volatile boolean requested;

    private GracefulStop() {}

    static GracefulStop install() {
        GracefulStop stop = new GracefulStop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    private void stop() {
        requested = true;
        try {
            left.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command has left the training code: the hook may let the JVM go. */
    @Override
    public void close() {
        left.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook is running and has just been released
        }
    }
}
