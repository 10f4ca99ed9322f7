package io.mambarec.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ModalityRepository extends JpaRepository<Modality, String> {

    /** The catalogue's modalities in slot order. */
    List<Modality> findAllByOrderBySlotAsc();
}
