package io.mambarec.serving;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Serving refreshes its catalogue and popularity caches on a schedule. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ServingConfiguration {}
