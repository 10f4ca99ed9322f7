package io.mambarec.serving;

import io.mambarec.storage.CatalogueStore.ModalitySpec;
import io.mambarec.storage.CatalogueStore.StoredItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue as serving keeps it in memory (immutable; replaced on change): every item's
 * surrogate id, external id and unit-length feature vector per modality (slot order), used for
 * the feature-space neighbours of items the model has not seen.
 */
public final class Catalogue {

    /** One item: unitFeatures[m] is its L2-normalised vector of modality m (null if missing). */
    public record Entry(long dbId, String externalId, float[][] unitFeatures) {
    }

    private final List<ModalitySpec> modalities;
    private final List<Entry> items;
    private final Map<String, Integer> indexOf;

    private Catalogue(List<ModalitySpec> modalities, List<Entry> items) {
        this.modalities = List.copyOf(modalities);
        this.items = Collections.unmodifiableList(items);
        this.indexOf = new HashMap<>(items.size() * 2);
        for (int i = 0; i < items.size(); i++) {
            indexOf.put(items.get(i).externalId(), i);
        }
    }

    public static Catalogue empty() {
        return new Catalogue(List.of(), new ArrayList<>());
    }

    public static Catalogue of(List<ModalitySpec> modalities, List<StoredItem> stored) {
        List<Entry> items = new ArrayList<>(stored.size());
        for (StoredItem item : stored) {
            items.add(entry(item.id(), item.externalId(), item.features()));
        }
        return new Catalogue(modalities, items);
    }

    static Entry entry(long dbId, String externalId, float[][] rawFeatures) {
        float[][] unit = new float[rawFeatures.length][];
        for (int m = 0; m < rawFeatures.length; m++) {
            unit[m] = rawFeatures[m] == null ? null : Vectors.unit(rawFeatures[m]);
        }
        return new Entry(dbId, externalId, unit);
    }

    /** A copy with {@code entry} added, or replacing the item of the same external id. */
    public Catalogue with(Entry entry) {
        List<Entry> next = new ArrayList<>(items);
        Integer at = indexOf.get(entry.externalId());
        if (at == null) {
            next.add(entry);
        } else {
            next.set(at, entry);
        }
        return new Catalogue(modalities, next);
    }

    public List<ModalitySpec> modalities() {
        return modalities;
    }

    public List<Entry> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /**
     * The k items nearest to item {@code index} in feature space (before any model exists): the
     * mean over modalities of the cosine similarity of their feature vectors; the item itself excluded.
     */
    public TopK.Ranked nearestByFeatures(int index, int k) {
        float[][] query = items.get(index).unitFeatures();
        TopK top = new TopK(k);
        for (int i = 0; i < items.size(); i++) {
            if (i == index) {
                continue;
            }
            float[][] other = items.get(i).unitFeatures();
            double sum = 0;
            int used = 0;
            for (int m = 0; m < query.length && m < other.length; m++) {
                if (query[m] != null && other[m] != null && query[m].length == other[m].length) {
                    sum += Vectors.dot(query[m], 0, other[m], 0, query[m].length);
                    used++;
                }
            }
            if (used > 0) {
                top.offer(i, sum / used);
            }
        }
        return top.ranked();
    }

    /** Index of the item in {@link #items()}, or -1. */
    public int indexOf(String externalId) {
        return indexOf.getOrDefault(externalId, -1);
    }
}
