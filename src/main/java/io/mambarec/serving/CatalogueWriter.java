package io.mambarec.serving;

import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.ModalitySpec;
import io.mambarec.storage.CatalogueStore.NewItem;
import io.mambarec.storage.CatalogueStore.UpsertedItem;
import io.mambarec.storage.ItemMetadataStore.ItemMetadata;
import io.mambarec.text.TextEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Creates and updates catalogue items from what a shop has: metadata, text and whichever feature
 * vectors it has. For every modality of the catalogue an item gets a vector:
 * <ol>
 *   <li>given: the request's vector;</li>
 *   <li>computed: the modality named {@code text}, when 384-d, from the item's text (or title and
 *   description joined with ". ") by the all-MiniLM-L6-v2 {@link TextEncoder};</li>
 *   <li>imputed: from its nearest catalogue neighbours in the modalities it has
 *   ({@link Catalogue#impute}).</li>
 * </ol>
 * A batch is checked whole before anything is stored, then stored in one transaction.
 */
@Service
public class CatalogueWriter {

    public static final String TEXT_MODALITY = "text";
    /** Neighbours an imputed vector is averaged over (as the item-item graph's k). */
    static final int IMPUTE_NEIGHBOURS = 10;

    private final CatalogueStore store;
    private final CatalogueCache cache;
    private final ActiveModel activeModel;
    private final TextEncoder encoder;

    public CatalogueWriter(CatalogueStore store, CatalogueCache cache, ActiveModel activeModel, TextEncoder encoder) {
        this.store = store;
        this.cache = cache;
        this.activeModel = activeModel;
        this.encoder = encoder;
    }

    /** One item as a client sends it; {@code features} already checked for finite values. */
    public record ItemInput(String itemId, ItemMetadata metadata, String text, Map<String, float[]> features) {

        /** The text the text modality is computed from: {@code text}, else title and description joined by ". ". */
        String encodableText() {
            if (text != null && !text.isBlank()) {
                return text;
            }
            List<String> parts = new ArrayList<>();
            if (metadata.title() != null && !metadata.title().isBlank()) {
                parts.add(metadata.title());
            }
            if (metadata.description() != null && !metadata.description().isBlank()) {
                parts.add(metadata.description());
            }
            return parts.isEmpty() ? null : String.join(". ", parts);
        }
    }

    /** What was stored for an item. {@code embedding}: "model", "neighbours" or "none" (no model yet). */
    public record WrittenItem(
            String itemId, boolean created, String embedding, List<String> computed, List<String> imputed) {}

    /** An item that cannot be stored as sent (a 400: nothing of its request is stored). */
    public static class InvalidItemException extends RuntimeException {
        private final int index;
        private final String itemId;

        public InvalidItemException(int index, String itemId, String detail) {
            super(detail);
            this.index = index;
            this.itemId = itemId;
        }

        public int index() {
            return index;
        }

        public String itemId() {
            return itemId;
        }
    }

    /** Several items could not be stored; nothing was. */
    public static class InvalidBatchException extends RuntimeException {
        private final List<InvalidItemException> errors;

        public InvalidBatchException(List<InvalidItemException> errors) {
            super(errors.size() + " item(s) of the batch are invalid; nothing was stored");
            this.errors = List.copyOf(errors);
        }

        public List<InvalidItemException> errors() {
            return errors;
        }
    }

    /** The catalogue has no modality yet (nothing to fill in). */
    public static class NoModalitiesException extends RuntimeException {
        public NoModalitiesException() {
            super("the catalogue has no modalities yet; import a dataset first");
        }
    }

    /**
     * Stores the items (all or nothing). Every item is checked and its vectors resolved first; any
     * error refuses the whole batch with every item's error.
     */
    public List<WrittenItem> write(List<ItemInput> items) {
        List<ModalitySpec> modalities = store.modalities();
        if (modalities.isEmpty()) {
            throw new NoModalitiesException();
        }
        Catalogue catalogue = activeModel.state().catalogue();
        List<InvalidItemException> errors = new ArrayList<>();
        List<NewItem> resolved = new ArrayList<>();
        List<List<String>> computed = new ArrayList<>();
        List<List<String>> imputed = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < items.size(); k++) {
            ItemInput item = items.get(k);
            try {
                Integer earlier = seen.putIfAbsent(item.itemId(), k);
                if (earlier != null) {
                    throw new InvalidItemException(
                            k, item.itemId(), "itemId repeats item " + earlier + " of the batch");
                }
                List<String> itemComputed = new ArrayList<>();
                List<String> itemImputed = new ArrayList<>();
                resolved.add(resolve(k, item, modalities, catalogue, itemComputed, itemImputed));
                computed.add(itemComputed);
                imputed.add(itemImputed);
            } catch (InvalidItemException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(errors);
        }
        List<UpsertedItem> stored = store.upsertItems(resolved);
        for (int k = 0; k < resolved.size(); k++) {
            NewItem item = resolved.get(k);
            float[][] bySlot =
                    modalities.stream().map(m -> item.features().get(m.name())).toArray(float[][]::new);
            cache.itemWritten(stored.get(k).id(), item.externalId(), bySlot);
        }
        cache.refreshRules();
        ServingState state = activeModel.state();
        List<WrittenItem> written = new ArrayList<>();
        for (int k = 0; k < resolved.size(); k++) {
            String id = resolved.get(k).externalId();
            int row = state.itemRow(id);
            String embedding =
                    !state.hasModel() || row < 0 ? "none" : row < state.modelItems() ? "model" : "neighbours";
            written.add(new WrittenItem(id, stored.get(k).created(), embedding, computed.get(k), imputed.get(k)));
        }
        return written;
    }

    private NewItem resolve(
            int index,
            ItemInput item,
            List<ModalitySpec> modalities,
            Catalogue catalogue,
            List<String> computed,
            List<String> imputed) {
        Map<String, ModalitySpec> byName = new LinkedHashMap<>();
        modalities.forEach(m -> byName.put(m.name(), m));
        for (Map.Entry<String, float[]> given : item.features().entrySet()) {
            ModalitySpec m = byName.get(given.getKey());
            if (m == null) {
                throw new InvalidItemException(
                        index,
                        item.itemId(),
                        "features." + given.getKey() + " is not a modality of the catalogue " + byName.keySet());
            }
            if (given.getValue().length != m.dim()) {
                throw new InvalidItemException(
                        index,
                        item.itemId(),
                        "features." + m.name() + " must have " + m.dim() + " values, not " + given.getValue().length);
            }
        }
        float[][] vectors = new float[modalities.size()][];
        Map<String, String> origins = new HashMap<>();
        for (int m = 0; m < modalities.size(); m++) {
            ModalitySpec spec = modalities.get(m);
            vectors[m] = item.features().get(spec.name());
            if (vectors[m] == null
                    && TEXT_MODALITY.equals(spec.name())
                    && spec.dim() == TextEncoder.DIM
                    && item.encodableText() != null) {
                vectors[m] = encoder.encode(item.encodableText());
                origins.put(spec.name(), "computed");
                computed.add(spec.name());
            }
        }
        boolean any = false;
        for (float[] v : vectors) {
            any |= v != null;
        }
        if (!any) {
            throw new InvalidItemException(
                    index,
                    item.itemId(),
                    "the item needs at least one modality: give"
                            + " features " + byName.keySet()
                            + (byName.containsKey(TEXT_MODALITY)
                                            && byName.get(TEXT_MODALITY).dim() == TextEncoder.DIM
                                    ? " or text, title or description"
                                    : ""));
        }
        float[][] known = vectors.clone();
        for (int m = 0; m < modalities.size(); m++) {
            if (vectors[m] == null) {
                vectors[m] = catalogue.impute(known, m, IMPUTE_NEIGHBOURS, item.itemId());
                if (vectors[m] == null) {
                    throw new InvalidItemException(
                            index,
                            item.itemId(),
                            "features." + modalities.get(m).name()
                                    + " is missing and no catalogue item has it to impute it from");
                }
                origins.put(modalities.get(m).name(), "imputed");
                imputed.add(modalities.get(m).name());
            }
        }
        Map<String, float[]> features = new LinkedHashMap<>();
        for (int m = 0; m < modalities.size(); m++) {
            features.put(modalities.get(m).name(), vectors[m]);
        }
        return new NewItem(item.itemId(), features, origins, item.metadata());
    }
}
