package io.udapi.token;

import java.util.List;
import java.util.Objects;

/**
 * The source addresses a token may trigger from: CIDR blocks in canonical text form, IPv4 or IPv6
 * (docs/tokens.md, "Source ranges"). A token without ranges ({@code null}) accepts every address.
 *
 * @param cidrs 1..{@value #MAX_RANGES} canonical CIDR blocks
 */
public record SourceRanges(List<String> cidrs) {

    public static final int MAX_RANGES = 100;

    public SourceRanges {
        cidrs = List.copyOf(Objects.requireNonNull(cidrs, "cidrs"));
    }
}
