package io.mambarec.jobs;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.model.UnsupportedModelFormatException;
import io.mambarec.registry.BootstrapModel;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.registry.ServedModel;
import io.mambarec.role.ServingRole;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Start-up of a serving process, after the data bootstrap ({@code @Order(10)}): serves the
 * registry's active version (loaded through DJL, embeddings computed once; readiness stays DOWN
 * until then), and when the registry is empty either registers the offline-trained model of
 * {@code mambarec.bootstrap.model} or, when the catalogue has interactions, queues a first training
 * job for a trainer ({@code mambarec.retrain.on-empty-registry}, default true). From then on
 * {@link ServedModel} keeps this process on the active version.
 */
@Component
@ServingRole
@Order(20)
public class ModelStartupRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ModelStartupRunner.class);

    private final RetrainService retrain;
    private final ModelRegistry registry;
    private final ServedModel served;
    private final TrainingDatasetReader trainingData;
    private final String bootstrapModel;
    private final boolean trainOnEmptyRegistry;

    public ModelStartupRunner(
            RetrainService retrain,
            ModelRegistry registry,
            ServedModel served,
            TrainingDatasetReader trainingData,
            MambaRecProperties properties) {
        this.retrain = retrain;
        this.registry = registry;
        this.served = served;
        this.trainingData = trainingData;
        this.bootstrapModel = properties.bootstrap().model();
        this.trainOnEmptyRegistry = properties.retrain().onEmptyRegistry();
    }

    @Override
    public void run(ApplicationArguments args) {
        served.sync();
        if (!registry.isEmpty()) {
            return;
        }
        if (!bootstrapModel.isBlank()) {
            try {
                BootstrapModel.registerIfEmpty(registry, Path.of(bootstrapModel))
                        .ifPresent(version -> log.info(
                                "registered and activated the offline-trained model from {} as version {}",
                                bootstrapModel,
                                version));
            } catch (UnsupportedModelFormatException e) {
                // a restart would meet the same file: serve without a model rather than fail every start
                log.error("the model in {} is not registered: {}", bootstrapModel, e.getMessage());
            }
        } else if (trainOnEmptyRegistry && trainingData.hasInteractions() && !retrain.hasLiveJob()) {
            try {
                log.info(
                        "no model yet: first training job {} queued",
                        retrain.submit(RetrainRequest.empty()).getId());
            } catch (RetrainConflictException e) {
                log.info("no model yet; a training job is already under way ({})", e.getMessage());
            }
        }
    }
}
