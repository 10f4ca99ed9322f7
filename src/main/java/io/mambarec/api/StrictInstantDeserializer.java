package io.mambarec.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Request-body instants: ISO-8601 strings only ({@code 2025-01-01T12:00:00Z}, an offset such as
 * {@code +02:00} allowed). Epoch numbers are refused: seconds and milliseconds look alike.
 */
final class StrictInstantDeserializer extends StdScalarDeserializer<Instant> {

    StrictInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        String text = p.getString();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
        }
    }
}
