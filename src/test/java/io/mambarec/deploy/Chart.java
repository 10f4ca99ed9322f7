package io.mambarec.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.util.Map;

/** The MambaRec Helm chart, rendered in-process by Helm's own Go library (helm-java). */
final class Chart {

    /** Release name used for k8s/: with it every object is simply called "mambarec". */
    static final String RELEASE = "mambarec";

    private Chart() {}

    /** {@code helm template mambarec helm/mambarec --set key=value ...}. */
    static String template(Map<String, Object> values) {
        TemplateCommand template = new Helm(ProjectFiles.CHART).template().withName(RELEASE);
        values.forEach(template::set);
        return template.call();
    }

    static KubernetesObjects render(Map<String, Object> values) {
        return KubernetesObjects.parse(template(values));
    }
}
