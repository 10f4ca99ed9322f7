package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One stored event (user, item, time). {@code split}: 0 train, 1 validation, 2 test for imported
 * MMRec splits, null for events that came through the API. Bulk paths use {@link InteractionStore}.
 */
@Entity
@Table(name = "interaction")
public class InteractionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, unique = true, length = 128)
    private String eventId;

    @Column(name = "user_id", nullable = false)
    private Long userId;

    @Column(name = "item_id", nullable = false)
    private Long itemId;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(name = "split")
    private Short split;

    @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
    private Instant receivedAt;

    protected InteractionEntity() {}

    public InteractionEntity(String eventId, Long userId, Long itemId, Instant occurredAt, Short split) {
        this.eventId = eventId;
        this.userId = userId;
        this.itemId = itemId;
        this.occurredAt = occurredAt;
        this.split = split;
    }

    public Long getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }

    public Long getUserId() {
        return userId;
    }

    public Long getItemId() {
        return itemId;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public Short getSplit() {
        return split;
    }

    public Instant getReceivedAt() {
        return receivedAt;
    }
}
