package io.mambarec.api;

import io.mambarec.config.MambaRecProperties;
import java.time.Instant;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** First of all filters, ahead of security: nothing reads a body over the limit. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(MambaRecProperties properties) {
        var registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.api().maxRequestBody().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Request bodies follow their schema strictly: unknown fields, duplicate keys, trailing content,
     * nulls for numbers, and scalars of the wrong JSON type (a number where a string belongs, a
     * string of digits where a number belongs, a fraction where an integer belongs) are 400s instead
     * of being guessed at. Instants are
     * ISO-8601 strings. (Internal JSON uses its own mappers.)
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // 2.5 where an integer belongs is a 400, not 2
                .withCoercionConfig(
                        LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .addModule(new SimpleModule("mambarec-strict-instants")
                        .addDeserializer(Instant.class, new StrictInstantDeserializer()));
    }

    /**
     * Doubles (the scores of every recommendation) written with Jackson's Schubfach writer instead of
     * Double.toString: the shortest decimal that reads back as the same double, and a fraction of
     * the JDK 17 formatter's CPU time and garbage on the /recommend hot path.
     */
    @Bean
    JsonMapperBuilderCustomizer fastDoubleWriter() {
        return builder -> builder.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }
}
