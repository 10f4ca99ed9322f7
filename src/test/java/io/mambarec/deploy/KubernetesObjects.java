package io.mambarec.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Kubernetes YAML parsed as fabric8's typed model objects, strictly: a field the typed model does
 * not know (a typo such as "readinesProbe", or a field at the wrong level) lands in fabric8's
 * additionalProperties and is reported. Custom resources (ServiceMonitor, PrometheusRule) stay
 * generic.
 */
final class KubernetesObjects {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private KubernetesObjects(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Parses every YAML document; fails on documents that are no Kubernetes object or carry unknown fields. */
    static KubernetesObjects parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> document : ProjectFiles.yamlDocuments(yaml)) {
            String json = SERIALIZATION.asJson(document);
            Object parsed = SERIALIZATION.unmarshal(json);
            if (!(parsed instanceof HasMetadata object)) {
                throw new AssertionError("not a Kubernetes object: " + document);
            }
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(
                    object, object.getKind() + "/" + object.getMetadata().getName(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError("fields unknown to the Kubernetes API: " + unknown);
            }
            objects.add(object);
        }
        return new KubernetesObjects(objects);
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    <T extends HasMetadata> T single(Class<T> type) {
        List<T> found = ofType(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return ofType(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    Optional<GenericKubernetesResource> custom(String kind) {
        return ofType(GenericKubernetesResource.class).stream()
                .filter(o -> kind.equals(o.getKind()))
                .findFirst();
    }

    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.") || node instanceof GenericKubernetesResource) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class
                    || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // computed getters (e.g. Quantity's numerical amount) are no fields
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3))
                        + getter.getName().substring(4);
                collectUnknownFields(value, path + "." + field, unknown);
            }
        }
    }
}
