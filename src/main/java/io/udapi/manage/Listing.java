package io.udapi.manage;

import java.util.List;

/** The body of every list answer: {@code { "items": [...], "total": N }}. */
public record Listing<T>(List<T> items, long total) {
    public Listing {
        items = List.copyOf(items);
    }
}
