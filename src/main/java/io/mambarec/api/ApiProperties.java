package io.mambarec.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code mambarec.api.*}: {@code max-request-body} (default 16MB), larger bodies get 413 unread. */
@ConfigurationProperties("mambarec.api")
public record ApiProperties(@DefaultValue("16MB") DataSize maxRequestBody) {}
