package io.mambarec.role;

import java.util.List;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.TypeFilter;

/**
 * Leaves the serving packages ({@code io.mambarec.api}, {@code io.mambarec.serving}) out of a
 * trainer's component scan: a trainer has no REST API, no serving caches and no catalogue import.
 */
public final class RoleComponentFilter implements TypeFilter, EnvironmentAware {

    private static final List<String> SERVING_PACKAGES = List.of("io.mambarec.api.", "io.mambarec.serving.");

    private Role role = Role.STANDALONE;

    @Override
    public void setEnvironment(Environment environment) {
        role = Role.of(environment);
    }

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        String name = reader.getClassMetadata().getClassName();
        return !role.serves() && SERVING_PACKAGES.stream().anyMatch(name::startsWith);
    }
}
