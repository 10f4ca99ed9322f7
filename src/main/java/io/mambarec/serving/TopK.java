package io.mambarec.serving;

import java.util.Arrays;

/** The k best (index, score) pairs seen so far: a bounded min-heap on primitive arrays. */
public final class TopK {

    private final int[] index;
    private final double[] score;
    private int size;

    TopK(int k) {
        index = new int[k];
        score = new double[k];
    }

    void offer(int i, double s) {
        if (index.length == 0) {
            return;
        }
        if (size < index.length) {
            index[size] = i;
            score[size] = s;
            siftUp(size++);
        } else if (s > score[0] || (s == score[0] && i < index[0])) {
            index[0] = i;
            score[0] = s;
            siftDown(0);
        }
    }

    /** The kept entries, best first (ties: lower index first). */
    Ranked ranked() {
        Integer[] order = new Integer[size];
        for (int k = 0; k < size; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> worse(a, b) ? 1 : worse(b, a) ? -1 : 0);
        int[] indices = new int[size];
        double[] scores = new double[size];
        for (int k = 0; k < size; k++) {
            indices[k] = index[order[k]];
            scores[k] = score[order[k]];
        }
        return new Ranked(indices, scores);
    }

    public record Ranked(int[] indices, double[] scores) {}

    /** Heap order: the worst kept entry at the root (lower score, or equal score and higher index). */
    private boolean worse(int a, int b) {
        return score[a] < score[b] || (score[a] == score[b] && index[a] > index[b]);
    }

    private void siftUp(int k) {
        while (k > 0) {
            int parent = (k - 1) / 2;
            if (!worse(k, parent)) {
                return;
            }
            swap(k, parent);
            k = parent;
        }
    }

    private void siftDown(int k) {
        while (true) {
            int left = 2 * k + 1;
            int right = left + 1;
            int worst = k;
            if (left < size && worse(left, worst)) {
                worst = left;
            }
            if (right < size && worse(right, worst)) {
                worst = right;
            }
            if (worst == k) {
                return;
            }
            swap(k, worst);
            k = worst;
        }
    }

    private void swap(int a, int b) {
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
        double s = score[a];
        score[a] = score[b];
        score[b] = s;
    }
}
