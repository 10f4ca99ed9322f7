package io.mambarec.api;

import io.mambarec.events.EventType;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.serving.SeenItems;
import io.mambarec.storage.InteractionStore;
import io.mambarec.storage.InteractionStore.IngestResult;
import io.mambarec.storage.InteractionStore.NewInteraction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InteractionController {

    public static final int MAX_BATCH = 10_000;
    /** Clock skew tolerated for event timestamps in the future. */
    static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final InteractionStore store;
    private final SeenItems seenItems;
    private final ServiceMetrics metrics;

    public InteractionController(InteractionStore store, SeenItems seenItems, ServiceMetrics metrics) {
        this.store = store;
        this.seenItems = seenItems;
        this.metrics = metrics;
    }

    /** One event: who interacted with what, when; {@code eventId} makes a retry harmless. */
    public record InteractionEvent(
            @NotNull @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE)
            String userId,

            @NotNull @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE)
            String itemId,

            @NotNull Instant timestamp,

            @NotNull @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE)
            String eventId,

            @Pattern(regexp = EventType.PATTERN, message = "must be one of view, cart, purchase, like, dislike")
            String type) {

        EventType eventType() {
            return type == null ? EventType.PURCHASE : EventType.fromWire(type).orElseThrow();
        }
    }

    public record IngestResponse(int accepted, int duplicate) {}

    @Operation(
            summary = "Store interaction events (1 to 10,000 per call)",
            description = "Idempotent by eventId: events already stored count as duplicate. Unknown users are"
                    + " created. If any item is unknown, nothing is stored and the answer is 422. type: view, cart,"
                    + " purchase (default), like or dislike; a disliked item is never recommended to that user.")
    @ApiResponse(responseCode = "202", description = "Stored: counts of accepted and duplicate events")
    @ApiResponse(responseCode = "422", description = "An event names an item not in the catalogue; nothing was stored")
    @PostMapping("/interactions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public IngestResponse ingest(
            @RequestBody @NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull @Valid InteractionEvent> events) {
        Instant latest = Instant.now().plus(MAX_FUTURE);
        for (int k = 0; k < events.size(); k++) {
            Instant t = events.get(k).timestamp();
            if (t.isBefore(Instant.EPOCH) || t.isAfter(latest)) {
                throw Problems.badRequest(
                        "events[" + k + "].timestamp " + t + " is out of range (1970-01-01 to one day from now)");
            }
        }
        IngestResult result = store.ingest(events.stream()
                .map(e -> new NewInteraction(e.eventId(), e.userId(), e.itemId(), e.timestamp(), e.eventType()))
                .toList());
        if (result.accepted() > 0) {
            // other replicas hear of it through the change feed; this one must not wait for that
            seenItems.committed(
                    events.stream().map(InteractionEvent::userId).distinct().toList());
        }
        metrics.interactionsIngested(result.accepted());
        return new IngestResponse(result.accepted(), result.duplicate());
    }
}
