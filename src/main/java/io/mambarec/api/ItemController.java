package io.mambarec.api;

import io.mambarec.serving.CatalogueCache;
import io.mambarec.serving.CatalogueWriter;
import io.mambarec.serving.CatalogueWriter.InvalidBatchException;
import io.mambarec.serving.CatalogueWriter.ItemInput;
import io.mambarec.serving.CatalogueWriter.NoModalitiesException;
import io.mambarec.serving.CatalogueWriter.WrittenItem;
import io.mambarec.storage.ItemMetadataStore;
import io.mambarec.storage.ItemMetadataStore.ItemDetails;
import io.mambarec.storage.ItemMetadataStore.ItemMetadata;
import io.mambarec.storage.ItemMetadataStore.MetadataPatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {

    public static final int MAX_BATCH = 1000;
    static final int MAX_TITLE = 1_000;
    static final int MAX_TEXT = 20_000;

    private final CatalogueWriter writer;
    private final ItemMetadataStore metadata;
    private final CatalogueCache catalogue;

    public ItemController(CatalogueWriter writer, ItemMetadataStore metadata, CatalogueCache catalogue) {
        this.writer = writer;
        this.metadata = metadata;
        this.catalogue = catalogue;
    }

    /**
     * An item: shop metadata, text, and optional feature vectors by modality name. {@code itemId} is
     * needed in a batch; on {@code PUT /items/{itemId}} it may be left out (else it must match the path).
     */
    public record ItemRequest(
            @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE)
            String itemId,

            @Size(max = MAX_TITLE) String title,
            @Size(max = MAX_TEXT) String description,
            @Size(max = MAX_TEXT) String text,

            @Size(max = RequestFilters.MAX_CATEGORIES)
            List<
                            @NotNull
                            @Pattern(
                                    regexp = RequestFilters.CATEGORY_PATTERN,
                                    message = RequestFilters.CATEGORY_MESSAGE)
                            String>
                    categories,

            Boolean available,
            Map<String, double[]> features) {}

    /**
     * @param embedding where the item's serving embedding comes from: "model" (trained), "neighbours"
     *        (similarity-weighted mean of its nearest catalogue items in feature space) or "none" (no model yet)
     * @param computed modalities computed from the item's text
     * @param imputed modalities imputed from the item's nearest catalogue neighbours
     */
    public record ItemResponse(
            String itemId, boolean created, String embedding, List<String> computed, List<String> imputed) {

        static ItemResponse of(WrittenItem item) {
            return new ItemResponse(item.itemId(), item.created(), item.embedding(), item.computed(), item.imputed());
        }
    }

    @Operation(
            summary = "Create or update an item (admin)",
            description = "Metadata (title, description, categories, available), text and optional feature vectors."
                    + " The catalogue modality 'text' (384-d) is computed from text (or title. description) with"
                    + " all-MiniLM-L6-v2 when not given; other missing modalities are imputed from the item's nearest"
                    + " catalogue neighbours. A new item is recommendable at once (embedding from its 10 nearest"
                    + " catalogue items per modality). A retired item written again is live again.")
    @ApiResponse(responseCode = "200", description = "Updated")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "409", description = "The catalogue has no modalities yet")
    @PutMapping("/items/{itemId}")
    public ResponseEntity<ItemResponse> put(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestBody @NotNull @Valid ItemRequest request) {
        if (request.itemId() != null && !request.itemId().equals(itemId)) {
            throw Problems.badRequest(
                    "itemId '" + request.itemId() + "' in the body differs from the path's '" + itemId + "'");
        }
        WrittenItem written = write(List.of(input(itemId, request, 0))).get(0);
        return ResponseEntity.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(ItemResponse.of(written));
    }

    public record BatchResponse(int created, int updated, List<ItemResponse> items) {}

    @Operation(
            summary = "Create or update up to 1,000 items in one transaction (admin)",
            description =
                    "A JSON array of item bodies, each with itemId. All or nothing: if any item is invalid, nothing"
                            + " is stored and the 400 problem lists every item's error under 'errors' (index, itemId, detail).")
    @ApiResponse(responseCode = "200", description = "Every item stored")
    @ApiResponse(responseCode = "409", description = "The catalogue has no modalities yet")
    @PostMapping("/items/batch")
    public BatchResponse batch(
            @RequestBody @NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull @Valid ItemRequest> items) {
        java.util.List<ItemInput> inputs = new java.util.ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            ItemRequest item = items.get(k);
            if (item.itemId() == null) {
                throw Problems.of(
                        HttpStatus.BAD_REQUEST,
                        "items[" + k + "].itemId is missing; nothing was stored",
                        Map.of("errors", List.of(error(k, null, "itemId is missing"))));
            }
            inputs.add(input(item.itemId(), item, k));
        }
        List<WrittenItem> written = write(inputs);
        int created = (int) written.stream().filter(WrittenItem::created).count();
        return new BatchResponse(
                created,
                written.size() - created,
                written.stream().map(ItemResponse::of).toList());
    }

    private List<WrittenItem> write(List<ItemInput> inputs) {
        try {
            return writer.write(inputs);
        } catch (NoModalitiesException e) {
            throw Problems.of(HttpStatus.CONFLICT, e.getMessage());
        } catch (InvalidBatchException e) {
            List<Map<String, Object>> errors = e.errors().stream()
                    .map(x -> error(x.index(), x.itemId(), x.getMessage()))
                    .toList();
            String detail = inputs.size() == 1
                    ? e.errors().get(0).getMessage()
                    : e.getMessage() + ": items[" + e.errors().get(0).index() + "]: "
                            + e.errors().get(0).getMessage() + (errors.size() > 1 ? "; ..." : "");
            throw Problems.of(HttpStatus.BAD_REQUEST, detail, Map.of("errors", errors));
        }
    }

    private static Map<String, Object> error(int index, String itemId, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("index", index);
        error.put("itemId", itemId);
        error.put("detail", detail);
        return error;
    }

    private static ItemInput input(String itemId, ItemRequest request, int index) {
        Map<String, float[]> features = new LinkedHashMap<>();
        if (request.features() != null) {
            for (Map.Entry<String, double[]> e : request.features().entrySet()) {
                if (e.getValue() == null) {
                    throw invalid(index, itemId, "features." + e.getKey() + " is null");
                }
                float[] vector = new float[e.getValue().length];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) e.getValue()[d];
                    if (!Float.isFinite(vector[d])) {
                        throw invalid(
                                index, itemId, "features." + e.getKey() + "[" + d + "] is not a finite 32-bit float");
                    }
                }
                features.put(e.getKey(), vector);
            }
        }
        ItemMetadata meta = new ItemMetadata(
                request.title(),
                request.description(),
                request.categories() == null
                        ? List.of()
                        : request.categories().stream().distinct().toList(),
                request.available() == null || request.available());
        return new ItemInput(itemId, meta, request.text(), features);
    }

    private static RuntimeException invalid(int index, String itemId, String detail) {
        return Problems.of(HttpStatus.BAD_REQUEST, detail, Map.of("errors", List.of(error(index, itemId, detail))));
    }

    /** GET /items/{itemId}: metadata, the modalities it has, optionally its vectors. */
    public record ItemView(
            String itemId,
            String title,
            String description,
            List<String> categories,
            boolean available,
            boolean retired,
            Instant createdAt,
            Instant updatedAt,
            List<String> modalities,
            List<String> computed,
            List<String> imputed,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Map<String, float[]> features) {}

    @Operation(summary = "An item: metadata, modalities (with ?features=true their vectors)")
    @ApiResponse(responseCode = "200", description = "The item")
    @ApiResponse(responseCode = "404", description = "The item is not in the catalogue")
    @GetMapping("/items/{itemId}")
    public ItemView get(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestParam(defaultValue = "false") boolean features) {
        ItemDetails item = metadata.find(itemId)
                .orElseThrow(() -> Problems.notFound("item '" + itemId + "' is not in the catalogue"));
        List<String> computed = item.origins().entrySet().stream()
                .filter(e -> e.getValue().equals("computed"))
                .map(Map.Entry::getKey)
                .toList();
        List<String> imputed = item.origins().entrySet().stream()
                .filter(e -> e.getValue().equals("imputed"))
                .map(Map.Entry::getKey)
                .toList();
        return new ItemView(
                item.externalId(),
                item.metadata().title(),
                item.metadata().description(),
                item.metadata().categories(),
                item.metadata().available(),
                item.retired(),
                item.createdAt(),
                item.updatedAt(),
                List.copyOf(item.features().keySet()),
                computed,
                imputed,
                features ? item.features() : null);
    }

    /** PATCH body: metadata only; absent fields are left as they are. */
    public record ItemPatch(
            @Size(max = MAX_TITLE) String title,
            @Size(max = MAX_TEXT) String description,

            @Size(max = RequestFilters.MAX_CATEGORIES)
            List<
                            @NotNull
                            @Pattern(
                                    regexp = RequestFilters.CATEGORY_PATTERN,
                                    message = RequestFilters.CATEGORY_MESSAGE)
                            String>
                    categories,

            Boolean available) {}

    @Operation(
            summary = "Change an item's metadata (admin): available, categories, title, description",
            description = "Applies at once on every replica (out of stock: never recommended while unavailable).")
    @ApiResponse(responseCode = "200", description = "The item after the change")
    @ApiResponse(responseCode = "404", description = "The item is not in the catalogue")
    @PatchMapping("/items/{itemId}")
    public ItemView patch(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestBody @NotNull @Valid ItemPatch patch) {
        if (patch.title() == null
                && patch.description() == null
                && patch.categories() == null
                && patch.available() == null) {
            throw Problems.badRequest("nothing to change: give available, categories, title or description");
        }
        boolean found = metadata.patch(
                itemId,
                new MetadataPatch(
                        patch.title(),
                        patch.description(),
                        patch.categories() == null
                                ? null
                                : patch.categories().stream().distinct().toList(),
                        patch.available()));
        if (!found) {
            throw Problems.notFound("item '" + itemId + "' is not in the catalogue");
        }
        catalogue.ruleWritten(itemId);
        return get(itemId, false);
    }

    @Operation(
            summary = "Retire an item (admin): never recommended or similar again on any replica; its interactions"
                    + " are kept for training. PUT brings it back.")
    @ApiResponse(responseCode = "204", description = "Retired")
    @ApiResponse(responseCode = "404", description = "The item is not in the catalogue")
    @DeleteMapping("/items/{itemId}")
    public ResponseEntity<Void> retire(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId) {
        if (!metadata.retire(itemId)) {
            throw Problems.notFound("item '" + itemId + "' is not in the catalogue");
        }
        catalogue.ruleWritten(itemId);
        return ResponseEntity.noContent().build();
    }
}
