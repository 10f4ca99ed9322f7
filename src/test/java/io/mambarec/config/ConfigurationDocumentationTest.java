package io.mambarec.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/configuration.md} and {@link MambaRecProperties} describe the same settings: every
 * property of the tree has a row (name and default as the record has them), and every
 * {@code mambarec.*} row names a property of the tree. A property added without documentation, or
 * documented but gone, fails here.
 */
class ConfigurationDocumentationTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final String METADATA = "/META-INF/spring-configuration-metadata.json";
    /** A table row: | `name` (`ENV`) | default | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\| `(mambarec\\.[a-z0-9.-]+)`[^|]*\\|([^|]*)\\|");

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> documented = documented();
        Map<String, String> properties = properties();
        assertThat(documented.keySet())
                .as("mambarec.* rows of %s against the properties of MambaRecProperties", DOC)
                .containsExactlyInAnyOrderElementsOf(properties.keySet());
        properties.forEach((name, value) -> {
            String cell = documented.get(name);
            if (value.isEmpty()) {
                assertThat(cell).as("default of %s", name).startsWith("empty");
            } else {
                assertThat(cell).as("default of %s", name).startsWith("`" + value + "`");
            }
        });
    }

    @Test
    void theTreeIsReadAsSpringBindsIt() {
        Map<String, String> properties = properties();
        assertThat(properties)
                .containsEntry("mambarec.role", "standalone")
                .containsEntry("mambarec.serving.seen-items-cache.max-items", "5000000")
                .containsEntry("mambarec.events.weight.view", "0.25")
                .containsEntry("mambarec.replica-id", "");
        assertThat(properties).hasSizeGreaterThan(30);
    }

    /**
     * Property name to its default, as spring-boot-configuration-processor wrote them at compile time
     * from {@link MambaRecProperties} (the IDE's metadata): names in kebab case as Spring binds them.
     */
    static Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode metadata;
        try (InputStream in = MambaRecProperties.class.getResourceAsStream(METADATA)) {
            assertThat(in)
                    .as("%s (spring-boot-configuration-processor)", METADATA)
                    .isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode property : metadata.get("properties")) {
            if (property.path("sourceType").asString().startsWith(MambaRecProperties.class.getName())) {
                String name = property.get("name").asString();
                JsonNode value = property.get("defaultValue");
                assertThat(value).as("@DefaultValue of %s", name).isNotNull();
                out.put(name, value.isString() ? value.asString() : value.toString());
            }
        }
        return out;
    }

    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(DOC);
        for (String line : lines) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                assertThat(rows.put(row.group(1), row.group(2).trim()))
                        .as("%s documented twice", row.group(1))
                        .isNull();
            }
        }
        return rows;
    }
}
