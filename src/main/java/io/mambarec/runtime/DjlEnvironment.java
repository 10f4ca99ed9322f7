package io.mambarec.runtime;

/**
 * DJL must take its PyTorch native library from the Maven Central jars on the class path
 * ({@code pytorch-native-cpu}, classifier {@code linux-x86_64}) and never try a download.
 */
public final class DjlEnvironment {

    private DjlEnvironment() {}

    /** Sets DJL's offline switch unless the operator chose otherwise. Call before DJL's first use. */
    public static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // keep DJL's own usage reporting off: this service talks to nobody it was not told to
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
