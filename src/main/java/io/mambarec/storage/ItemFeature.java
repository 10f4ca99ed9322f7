package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One item's feature vector for one modality (PostgreSQL {@code real[]}). */
@Entity
@Table(name = "item_feature")
@IdClass(ItemFeature.Key.class)
public class ItemFeature {

    @Id
    @Column(name = "item_id")
    private Long itemId;

    @Id
    @Column(name = "modality", length = 64)
    private String modality;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "vector", nullable = false, columnDefinition = "real[]")
    private float[] vector;

    protected ItemFeature() {}

    public ItemFeature(Long itemId, String modality, float[] vector) {
        this.itemId = itemId;
        this.modality = modality;
        this.vector = vector;
    }

    public Long getItemId() {
        return itemId;
    }

    public String getModality() {
        return modality;
    }

    public float[] getVector() {
        return vector;
    }

    /** Composite key (item, modality). */
    public static class Key implements Serializable {
        private Long itemId;
        private String modality;

        public Key() {}

        public Key(Long itemId, String modality) {
            this.itemId = itemId;
            this.modality = modality;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(itemId, k.itemId) && Objects.equals(modality, k.modality);
        }

        @Override
        public int hashCode() {
            return Objects.hash(itemId, modality);
        }
    }
}
