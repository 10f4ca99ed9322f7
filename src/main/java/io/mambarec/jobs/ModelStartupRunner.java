package io.mambarec.jobs;

import io.mambarec.registry.BootstrapModel;
import io.mambarec.registry.ModelRegistry;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Start-up, after the data bootstrap ({@code @Order(10)}): marks jobs a dead process left behind
 * as FAILED, serves the registry's active version (loaded through DJL, embeddings computed once),
 * and when the registry is empty either registers the offline-trained model of
 * {@code mambarec.bootstrap.model} or, when the catalogue has interactions, starts a first
 * training job in the background ({@code mambarec.retrain.on-empty-registry}, default true).
 * From then on {@link io.mambarec.registry.ActiveVersionPoller} keeps this replica on the active version.
 */
@Component
@Order(20)
public class ModelStartupRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ModelStartupRunner.class);

    private final RetrainService retrain;
    private final ModelRegistry registry;
    private final CatalogueSnapshot catalogue;
    private final String bootstrapModel;
    private final boolean trainOnEmptyRegistry;

    public ModelStartupRunner(RetrainService retrain, ModelRegistry registry,
            CatalogueSnapshot catalogue, @Value("${mambarec.bootstrap.model:}") String bootstrapModel,
            @Value("${mambarec.retrain.on-empty-registry:true}") boolean trainOnEmptyRegistry) {
        this.retrain = retrain;
        this.registry = registry;
        this.catalogue = catalogue;
        this.bootstrapModel = bootstrapModel;
        this.trainOnEmptyRegistry = trainOnEmptyRegistry;
    }

    @Override
    public void run(ApplicationArguments args) {
        retrain.recoverAbandoned();
        registry.syncActive();
        if (registry.isEmpty()) {
            if (!bootstrapModel.isBlank()) {
                BootstrapModel.registerIfEmpty(registry, Path.of(bootstrapModel)).ifPresent(m -> log.info(
                        "registered and activated the offline-trained {} model from {} as version {}",
                        m.modelName(), bootstrapModel, m.version()));
            } else if (trainOnEmptyRegistry && catalogue.hasInteractions()) {
                try {
                    log.info("no model yet: first training job {} started",
                            retrain.submit(RetrainRequest.empty()).getId());
                } catch (RetrainConflictException e) {
                    log.info("no model yet; a training job is already under way ({})", e.getMessage());
                }
            }
        }
    }
}
