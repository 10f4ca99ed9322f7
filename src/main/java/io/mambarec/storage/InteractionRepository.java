package io.mambarec.storage;

import org.springframework.data.jpa.repository.JpaRepository;

public interface InteractionRepository extends JpaRepository<InteractionEntity, Long> {

    long countByUserId(Long userId);

    boolean existsByEventId(String eventId);
}
