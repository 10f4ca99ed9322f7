package io.mambarec.api;

import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.CatalogueCache;
import io.mambarec.serving.ServingState;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.ModalitySpec;
import io.mambarec.storage.CatalogueStore.UpsertedItem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {

    private final CatalogueStore store;
    private final CatalogueCache catalogue;
    private final ActiveModel activeModel;

    public ItemController(CatalogueStore store, CatalogueCache catalogue, ActiveModel activeModel) {
        this.store = store;
        this.catalogue = catalogue;
        this.activeModel = activeModel;
    }

    /** Feature vectors by modality name; every modality of the catalogue, each of its dimension. */
    public record ItemRequest(@NotNull Map<String, double[]> features) {
    }

    /**
     * @param embedding where the item's serving embedding comes from: "model" (trained), "neighbours"
     *        (similarity-weighted mean of its nearest catalogue items in feature space) or "none" (no model yet)
     */
    public record ItemResponse(String itemId, boolean created, String embedding) {
    }

    @Operation(summary = "Create or update an item (admin)",
            description = "A new item is recommendable at once: its embedding is the similarity-weighted mean of its"
                    + " 10 nearest catalogue items per modality (cosine of the features), as in the item-item graph.")
    @ApiResponse(responseCode = "200", description = "Updated")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "409", description = "The catalogue has no modalities yet")
    @PutMapping("/items/{itemId}")
    public ResponseEntity<ItemResponse> put(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestBody @NotNull @Valid ItemRequest request) {
        List<ModalitySpec> modalities = store.modalities();
        if (modalities.isEmpty()) {
            throw Problems.of(HttpStatus.CONFLICT, "the catalogue has no modalities yet; import a dataset first");
        }
        Map<String, float[]> features = checkedFeatures(request.features(), modalities);
        UpsertedItem stored = store.upsertItem(itemId, features);
        float[][] bySlot = modalities.stream().map(m -> features.get(m.name())).toArray(float[][]::new);
        catalogue.itemWritten(stored.id(), itemId, bySlot);

        ServingState state = activeModel.state();
        int row = state.itemRow(itemId);
        String embedding = !state.hasModel() || row < 0 ? "none" : row < state.modelItems() ? "model" : "neighbours";
        return ResponseEntity.status(stored.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ItemResponse(itemId, stored.created(), embedding));
    }

    /** Every modality present, no other, sizes matching, values finite as 32-bit floats. */
    static Map<String, float[]> checkedFeatures(Map<String, double[]> given, List<ModalitySpec> modalities) {
        TreeSet<String> expected = new TreeSet<>(modalities.stream().map(ModalitySpec::name).toList());
        if (!given.keySet().equals(expected)) {
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(given.keySet());
            TreeSet<String> extra = new TreeSet<>(given.keySet());
            extra.removeAll(expected);
            throw Problems.of(HttpStatus.BAD_REQUEST, "features must give exactly the catalogue's modalities "
                    + expected + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (extra.isEmpty() ? "" : "; unknown " + extra), Map.of("modalities", dims(modalities)));
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ModalitySpec m : modalities) {
            double[] values = given.get(m.name());
            if (values == null || values.length != m.dim()) {
                throw Problems.of(HttpStatus.BAD_REQUEST, "features." + m.name() + " must have " + m.dim()
                        + " values, not " + (values == null ? "null" : values.length), Map.of("modalities", dims(modalities)));
            }
            float[] vector = new float[values.length];
            for (int d = 0; d < values.length; d++) {
                vector[d] = (float) values[d];
                if (!Float.isFinite(vector[d])) {
                    throw Problems.badRequest("features." + m.name() + "[" + d + "] is not a finite 32-bit float");
                }
            }
            out.put(m.name(), vector);
        }
        return out;
    }

    private static Map<String, Integer> dims(List<ModalitySpec> modalities) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        modalities.forEach(m -> dims.put(m.name(), m.dim()));
        return dims;
    }
}
