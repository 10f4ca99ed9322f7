package io.mambarec.storage;

import java.io.InputStream;
import java.util.Random;

/** {@code size} pseudo-random bytes, generated as they are read (a large value without its heap). */
final class RandomBytes extends InputStream {

    private final Random random;
    private final byte[] block = new byte[8192];
    private long left;
    private int pos = block.length;

    RandomBytes(long size, long seed) {
        this.left = size;
        this.random = new Random(seed);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left == 0) {
            return -1;
        }
        if (pos == block.length) {
            random.nextBytes(block);
            pos = 0;
        }
        int n = (int) Math.min(Math.min(len, block.length - pos), left);
        System.arraycopy(block, pos, b, off, n);
        pos += n;
        left -= n;
        return n;
    }
}
