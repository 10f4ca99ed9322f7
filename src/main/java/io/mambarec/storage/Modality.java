package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A feature modality of the catalogue (e.g. image, 128-d) and its slot (0: the visual slot of MambaRec). */
@Entity
@Table(name = "modality")
public class Modality {

    @Id
    private String name;

    @Column(nullable = false)
    private int dim;

    @Column(nullable = false, unique = true)
    private int slot;

    protected Modality() {}

    public Modality(String name, int dim, int slot) {
        this.name = name;
        this.dim = dim;
        this.slot = slot;
    }

    public String getName() {
        return name;
    }

    public int getDim() {
        return dim;
    }

    public int getSlot() {
        return slot;
    }
}
