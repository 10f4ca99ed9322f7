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

    /**
     * One item: unitFeatures[m] is its L2-normalised vector of modality m (null if missing),
     * norms[m] the length of the raw vector.
     */
    public record Entry(long dbId, String externalId, float[][] unitFeatures, float[] norms) {

        /** The raw vector of modality m (a fresh array), or null. */
        public float[] rawFeature(int m) {
            if (unitFeatures[m] == null) {
                return null;
            }
            float[] raw = unitFeatures[m].clone();
            for (int d = 0; d < raw.length; d++) {
                raw[d] *= norms[m];
            }
            return raw;
        }
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
        float[] norms = new float[rawFeatures.length];
        for (int m = 0; m < rawFeatures.length; m++) {
            if (rawFeatures[m] != null) {
                unit[m] = Vectors.unit(rawFeatures[m]);
                norms[m] = (float) Math.sqrt(Vectors.dot(rawFeatures[m], 0, rawFeatures[m], 0, rawFeatures[m].length));
            }
        }
        return new Entry(dbId, externalId, unit, norms);
    }

    /**
     * Imputes modality {@code m} of an item that lacks it: the similarity-weighted mean of the raw
     * vectors of its {@code k} nearest catalogue items that have m (cosine averaged over the
     * modalities both have, negative similarities weigh 0; a plain mean when every weight is 0),
     * as the item-item graph weighs neighbours. {@code rawQuery[j]} is null for missing modalities;
     * the item {@code selfId} itself is skipped. Null when no catalogue item has m.
     */
    public float[] impute(float[][] rawQuery, int m, int k, String selfId) {
        float[][] query = new float[rawQuery.length][];
        for (int j = 0; j < rawQuery.length; j++) {
            query[j] = rawQuery[j] == null ? null : Vectors.unit(rawQuery[j]);
        }
        TopK top = new TopK(k);
        for (int i = 0; i < items.size(); i++) {
            Entry other = items.get(i);
            if (other.unitFeatures()[m] == null || other.externalId().equals(selfId)) {
                continue;
            }
            double similarity = meanCosine(query, other.unitFeatures());
            top.offer(i, Double.isNaN(similarity) ? 0 : similarity);
        }
        TopK.Ranked nearest = top.ranked();
        if (nearest.indices().length == 0) {
            return null;
        }
        double total = 0;
        for (double s : nearest.scores()) {
            total += Math.max(0, s);
        }
        float[] out = new float[modalities.get(m).dim()];
        for (int r = 0; r < nearest.indices().length; r++) {
            double weight = total > 0 ? Math.max(0, nearest.scores()[r]) / total : 1.0 / nearest.indices().length;
            float[] raw = items.get(nearest.indices()[r]).rawFeature(m);
            for (int d = 0; d < out.length; d++) {
                out[d] += (float) (weight * raw[d]);
            }
        }
        return out;
    }

    /** Mean cosine over the modalities both unit-vector sets have (NaN when they share none). */
    private static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        int used = 0;
        for (int m = 0; m < a.length && m < b.length; m++) {
            if (a[m] != null && b[m] != null && a[m].length == b[m].length) {
                sum += Vectors.dot(a[m], 0, b[m], 0, a[m].length);
                used++;
            }
        }
        return used == 0 ? Double.NaN : sum / used;
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
     * mean over modalities of the cosine similarity of their feature vectors; the item itself and
     * the indices the filter sets rule out are skipped.
     */
    public TopK.Ranked nearestByFeatures(int index, java.util.BitSet excluded, java.util.BitSet allowed, int k) {
        float[][] query = items.get(index).unitFeatures();
        TopK top = new TopK(k);
        for (int i = 0; i < items.size(); i++) {
            if (i == index || !RowFilter.passes(i, excluded, allowed)) {
                continue;
            }
            double similarity = meanCosine(query, items.get(i).unitFeatures());
            if (!Double.isNaN(similarity)) {
                top.offer(i, similarity);
            }
        }
        return top.ranked();
    }

    /** Index of the item in {@link #items()}, or -1. */
    public int indexOf(String externalId) {
        return indexOf.getOrDefault(externalId, -1);
    }
}
