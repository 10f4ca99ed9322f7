package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A catalogue item; its feature vectors are {@link ItemFeature} rows. */
@Entity
@Table(name = "item")
public class Item extends ExternallyIdentified {

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    protected Item() {}

    public Item(String externalId) {
        super(externalId);
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
