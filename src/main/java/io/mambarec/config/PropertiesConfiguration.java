package io.mambarec.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates {@link MambaRecProperties} in every role. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MambaRecProperties.class)
class PropertiesConfiguration {}
