package io.mambarec.storage;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ItemRepository extends JpaRepository<Item, Long> {

    Optional<Item> findByExternalId(String externalId);

    boolean existsByExternalId(String externalId);
}
