package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code /actuator/info} tells build, commit, role, device, PyTorch version and threads. */
@PostgresSpringBootTest
class RuntimeInfoTest {

    @LocalServerPort
    int port;

    @Autowired
    BuildProperties build;

    @Autowired
    GitProperties git;

    @Test
    void infoDescribesBuildRoleDeviceAndThreads() {
        JsonNode info = new TestHttp(port).get("/actuator/info").json();
        JsonNode mambarec = info.path("mambarec");
        assertThat(mambarec.path("version").asString()).isEqualTo(build.getVersion());
        assertThat(mambarec.path("commit").asString()).isEqualTo(git.getShortCommitId());
        assertThat(mambarec.path("role").asString()).isEqualTo("standalone");
        JsonNode engine = mambarec.path("engine");
        assertThat(engine.path("device").asString()).isEqualTo("cpu");
        assertThat(engine.path("pytorch").asString()).isEqualTo("2.7.1");
        assertThat(engine.path("djl").asString()).isEqualTo("0.36.0");
        // the test JVM runs PyTorch with one intra-op thread (pom.xml: ai.djl.pytorch.num_threads)
        assertThat(engine.path("intraOpThreads").asInt()).isEqualTo(1);
        assertThat(mambarec.path("threads").path("training").asInt()).isPositive();
        assertThat(info.path("build").path("version").asString()).isEqualTo(build.getVersion());
        assertThat(info.path("git").path("commit").path("id").asString()).isNotBlank();
    }
}
