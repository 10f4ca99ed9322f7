package io.mambarec.storage;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A user as clients name it; created on first interaction or by import. */
@Entity
@Table(name = "app_user")
public class AppUser extends ExternallyIdentified {

    protected AppUser() {}

    public AppUser(String externalId) {
        super(externalId);
    }
}
