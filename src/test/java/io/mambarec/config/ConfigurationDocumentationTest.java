package io.mambarec.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docs/configuration.md} and {@link MambaRecProperties} describe the same settings: every
 * property of the tree has a row (name and default as the record has them), and every
 * {@code mambarec.*} row names a property of the tree. A property added without documentation, or
 * documented but gone, fails here.
 */
class ConfigurationDocumentationTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
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

    /** Property name (kebab case, as Spring binds it) to its default as written in the record. */
    static Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        collect("mambarec", MambaRecProperties.class, out);
        return out;
    }

    private static void collect(String prefix, Class<?> record, Map<String, String> out) {
        RecordComponent[] components = record.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(record).getParameters(); // where @DefaultValue lands
        for (int k = 0; k < components.length; k++) {
            String name = prefix + "." + kebab(components[k].getName());
            Class<?> type = components[k].getType();
            if (type.isRecord() && type.getName().startsWith(MambaRecProperties.class.getName())) {
                collect(name, type, out);
            } else {
                DefaultValue value = parameters[k].getAnnotation(DefaultValue.class);
                assertThat(value).as("@DefaultValue of %s", name).isNotNull();
                out.put(name, String.join(",", value.value()));
            }
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
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
