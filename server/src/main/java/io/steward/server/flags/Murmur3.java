package io.steward.server.flags;

import java.nio.charset.StandardCharsets;

/** MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of a string. */
public final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    public static int hash32(String text, int seed) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int o = i * 4;
            int k = (data[o] & 0xff)
                    | (data[o + 1] & 0xff) << 8
                    | (data[o + 2] & 0xff) << 16
                    | (data[o + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k = 0;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                k ^= data[tail] & 0xff;
                h ^= mixK(k);
            // fall through
            default:
                break;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    /**
     * The rollout bucket of {@code userId} for {@code flagKey}, 1 to 100, as Unleash computes it:
     * the unsigned hash of {@code "<flagKey>:<userId>"} with seed 0, modulo 100, plus one. A flag
     * at percentage p is on for a user whose bucket is at most p.
     */
    public static int bucket(String flagKey, String userId) {
        return (int) (Integer.toUnsignedLong(hash32(flagKey + ":" + userId, 0)) % 100) + 1;
    }
}
