package io.mambarec.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ItemFeatureRepository extends JpaRepository<ItemFeature, ItemFeature.Key> {

    List<ItemFeature> findByItemId(Long itemId);
}
