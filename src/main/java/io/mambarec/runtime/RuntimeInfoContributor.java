package io.mambarec.runtime;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} → {@code "mambarec": {version, commit, role, engine: {device, pytorch, ...}, threads}}. */
@Component
class RuntimeInfoContributor implements InfoContributor {

    private final RuntimeDescription runtime;

    RuntimeInfoContributor(RuntimeDescription runtime) {
        this.runtime = runtime;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("mambarec", runtime.describe());
    }
}
