package io.mambarec.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The git commit this build was made from, as the build's {@code git.properties} records it
 * (git-commit-id-maven-plugin); {@code -dirty} when the working tree had changes; {@code unknown}
 * for a build without git.
 */
public final class CodeVersion {

    static final String UNKNOWN = "unknown";
    private static final String CURRENT = read("/git.properties");

    private CodeVersion() {}

    public static String current() {
        return CURRENT;
    }

    static String read(String resource) {
        try (InputStream in = CodeVersion.class.getResourceAsStream(resource)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties git = new Properties();
            git.load(in);
            String commit = git.getProperty("git.commit.id", "").trim();
            if (commit.isEmpty()) {
                return UNKNOWN;
            }
            return "true".equals(git.getProperty("git.dirty")) ? commit + "-dirty" : commit;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
