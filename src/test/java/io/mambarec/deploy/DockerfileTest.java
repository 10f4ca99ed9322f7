package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so no image is built: this checks that the Dockerfile agrees with the
 * project (jar name, Maven profile for CUDA, port, health endpoint) and keeps its promises
 * (non-root, read-only friendly, container-sized heap).
 */
class DockerfileTest {

    private final List<String> instructions = instructions(ProjectFiles.read(ProjectFiles.DOCKERFILE));

    @Test
    void runtimeStageRunsTheJarAsNonRootWithAHealthCheck() {
        List<String> runtime = stage("runtime");
        assertThat(runtime).anyMatch(i -> i.matches("USER 10001(:10001)?"));
        assertThat(runtime).contains("EXPOSE 8080");
        assertThat(runtime).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("http://127.0.0.1:8080/actuator/health/liveness"));
        String pom = ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml"));
        assertThat(pom).contains("<finalName>mambarec</finalName>");
        assertThat(runtime).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/mambarec.jar\"]");
        assertThat(String.join("\n", runtime)).contains("-XX:MaxRAMPercentage=50").contains("DJL_CACHE_DIR=/var/cache/djl")
                .contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void flavorArgumentSelectsTheCpuOrCudaBuild() {
        assertThat(instructions).contains("ARG FLAVOR=cpu");
        assertThat(instructions).anyMatch(i -> i.startsWith("FROM jar-${FLAVOR} AS jar"));
        assertThat(instructions).anyMatch(i -> i.startsWith("FROM base-${FLAVOR} AS runtime"));
        assertThat(String.join("\n", stage("jar-cuda"))).contains("-Pcuda");
        assertThat(ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml"))).contains("<id>cuda</id>");
        assertThat(stage("base-cuda").get(0)).startsWith("FROM nvidia/cuda:");
        // the runtime stage is the last one: a plain `docker build` gives the CPU service image
        assertThat(instructions.stream().filter(i -> i.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow())
                .isEqualTo("FROM base-${FLAVOR} AS runtime");
    }

    @Test
    void buildContextExcludesBuildOutputAndTests() {
        String ignore = ProjectFiles.read(ProjectFiles.ROOT.resolve(".dockerignore"));
        assertThat(ignore.lines()).contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/", "src/test/");
    }

    @Test
    void everyFolderTheMavenBuildReadsIsInTheBuildContextAndCopied() {
        // e.g. db/migration, which the build copies into the jar: an image without it has no schema
        Matcher directory = Pattern.compile("<directory>([^<$]+)</directory>").matcher(ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml")));
        List<String> ignore = ProjectFiles.read(ProjectFiles.ROOT.resolve(".dockerignore")).lines().toList();
        List<String> build = stage("build-base");
        while (directory.find()) {
            String topLevel = directory.group(1).split("/")[0];
            assertThat(ignore).as(".dockerignore lets %s/ into the build context", topLevel).contains("!" + topLevel + "/");
            assertThat(build).as("the build stage copies %s", topLevel).contains("COPY " + topLevel + " " + topLevel);
        }
        assertThat(build).contains("COPY src src", "COPY .mvn .mvn");
    }

    /** The instructions of the stage named {@code name}, its FROM line first. */
    private List<String> stage(String name) {
        List<String> stage = new ArrayList<>();
        for (String instruction : instructions) {
            if (instruction.startsWith("FROM ")) {
                if (!stage.isEmpty()) {
                    break;
                }
                if (instruction.endsWith(" AS " + name)) {
                    stage.add(instruction);
                }
            } else if (!stage.isEmpty()) {
                stage.add(instruction);
            }
        }
        assertThat(stage).as("stage %s", name).isNotEmpty();
        return stage;
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(String dockerfile) {
        String joined = Pattern.compile("\\\\\\n\\s*").matcher(dockerfile.replaceAll("(?m)^\\s*#.*\\n", "")).replaceAll("");
        return joined.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
